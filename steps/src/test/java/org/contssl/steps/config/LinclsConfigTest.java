package org.contssl.steps.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.contssl.steps.probe.ProbeRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lincls node: protocol keys, any number of probe sets, and the recipes each mode gives them. */
class LinclsConfigTest {

    @Test
    void theDemoKeepsItsTwoBuiltInSetsAndTheCachedRecipe() {
        RunConfig c = ConfigLoader.load(null, List.of()).config();
        assertThat(c.lincls().mode()).isEqualTo("cached");
        assertThat(c.lincls().sets().keySet()).containsExactly("imnet", "inat");
        assertThat(c.lincls().set("inat").role()).isEqualTo("out-of-distribution");
        assertThat(c.lincls().sets().values()).noneMatch(LinclsConfig.ProbeSetConfig::userLists);
        // the demo's probe schedule: batch 64, lr 12, >= 20 epochs and >= 3,000 steps (10k images: 20 epochs)
        ProbeRecipe r = ProbeRecipe.of(c, "imnet", "in-distribution", 10_000);
        assertThat(List.of(r.epochs(), r.batchSize())).containsExactly(20, 64);
        assertThat(r.lr()).isEqualTo(12.0);
        assertThat(r.evalCropFraction()).isEqualTo(1.0);
        assertThat(ProbeRecipe.of(c, "imnet", "in-distribution", 1_000).epochs()).isEqualTo(188);
    }

    @Test
    void referenceModeGivesTheReferenceRecipePerSetUnlessOverridden() {
        RunConfig c = ConfigLoader.load(null, List.of("lincls.mode=reference", "lincls.inat.optim.epochs=7",
                "lincls.imnet21k.train_filelist=a.txt", "lincls.imnet21k.val_filelist=b.txt",
                "lincls.own.train_filelist=a.txt", "lincls.own.val_filelist=b.txt",
                "lincls.own.role=out-of-distribution")).config();
        ProbeRecipe imnet = ProbeRecipe.of(c, "imnet", "in-distribution", 10_000);
        assertThat(List.of(imnet.epochs(), imnet.batchSize())).containsExactly(10, 1024);
        assertThat(imnet.lr()).isEqualTo(3.0);
        assertThat(imnet.evalCropFraction()).isEqualTo(224.0 / 256.0);
        ProbeRecipe inat = ProbeRecipe.of(c, "inat", "out-of-distribution", 10_000);
        assertThat(List.of(inat.epochs(), inat.batchSize())).containsExactly(7, 1024);
        assertThat(inat.lr()).isEqualTo(12.0);
        assertThat(ProbeRecipe.of(c, "imnet21k", "in-distribution", 10).epochs()).isEqualTo(30);
        assertThat(ProbeRecipe.of(c, "own", "out-of-distribution", 10).lr()).isEqualTo(12.0);
        // a new set starts from the set defaults
        assertThat(c.lincls().set("imnet21k").role()).isEqualTo("in-distribution");
        assertThat(c.lincls().set("imnet21k").numClasses()).isZero();

        RunConfig cropped = ConfigLoader.load(null, List.of("lincls.eval_crop_fraction=0.5")).config();
        assertThat(ProbeRecipe.evalCropFraction(cropped)).isEqualTo(0.5);
    }

    @Test
    void domainProbesTakeLinclsDomainsNotImnetsSchedule() {
        // imnet's schedule is sized for its own set: 5 epochs of a 48-image domain probe are 5 LARC steps (chance)
        RunConfig c = ConfigLoader.load(null, List.of("lincls.imnet.optim.epochs=5")).config();
        assertThat(ProbeRecipe.of(c, "imnet", "in-distribution", 48).epochs()).isEqualTo(5);
        ProbeRecipe domain = ProbeRecipe.of(c, LinclsConfig.DOMAINS, "in-distribution", 48);
        assertThat(List.of(domain.epochs(), domain.batchSize())).containsExactly(3000, 64);
        RunConfig tuned = ConfigLoader.load(null, List.of("lincls.domains.optim.epochs=40")).config();
        assertThat(ProbeRecipe.of(tuned, LinclsConfig.DOMAINS, "in-distribution", 48).epochs()).isEqualTo(40);
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.domains.train_filelist=a.txt",
                "lincls.domains.val_filelist=b.txt"))).hasMessageContaining("lincls.domains holds only");
    }

    @Test
    void badProbeSettingsAreOneLineErrorsNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.mode=fast")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("invalid lincls.mode=fast");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.eval_crop_fraction=1.5")))
                .hasMessageContaining("lincls.eval_crop_fraction");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.imnet.role=test")))
                .hasMessageContaining("invalid lincls.imnet.role=test");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.imnet.train_filelist=a.txt")))
                .hasMessageContaining("lincls.imnet.val_filelist is empty");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.extra.optim.lr=3")))
                .hasMessageContaining("lincls.extra has no lists");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.imnet.num_classes=1")))
                .hasMessageContaining("lincls.imnet.num_classes");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.imnet.nope=1")))
                .hasMessageContaining("unknown config key 'lincls.imnet.nope'");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.9x.train_filelist=a")))
                .hasMessageContaining("unknown config key 'lincls.9x.train_filelist'");
    }

    @Test
    void probeSetsRoundTripThroughTheWorkdirFileAndChangeTheHash(@TempDir Path dir) {
        ResolvedConfig base = ConfigLoader.load(null, List.of());
        ResolvedConfig config = ConfigLoader.load(null, List.of("lincls.mode=reference",
                "lincls.own.train_filelist=a.txt", "lincls.own.val_filelist=b.txt", "lincls.own.num_classes=5"));
        assertThat(config.hash()).isNotEqualTo(base.hash());
        Path file = dir.resolve("config.resolved.yaml");
        ConfigLoader.write(config, file);
        ResolvedConfig back = ConfigLoader.read(file);
        assertThat(back.hash()).isEqualTo(config.hash());
        assertThat(back.config()).isEqualTo(config.config());
        assertThat(back.config().lincls().set("own").numClasses()).isEqualTo(5);
    }

    @Test
    void aPresetFileMayGiveSetsWithOnlySomeOfTheirKeys(@TempDir Path dir) throws Exception {
        Path preset = dir.resolve("mine.yaml");
        String demo = new String(ConfigLoader.class.getResourceAsStream("/presets/demo.yaml").readAllBytes());
        String lincls = """
                lincls:
                  imnet: {optim: {epochs: 0, lr: 0.0, batch_size: 0}}
                  inat: {role: out-of-distribution}
                  flowers: {train_filelist: t.txt, val_filelist: v.txt, num_classes: 102}
                """;
        java.nio.file.Files.writeString(preset, demo.substring(0, demo.indexOf("lincls:")) + lincls
                + demo.substring(demo.indexOf("environment:")));
        RunConfig c = ConfigLoader.load(preset.toString(), List.of("lincls.mode=reference")).config();
        assertThat(c.lincls().sets().keySet()).containsExactly("imnet", "inat", "flowers");
        assertThat(c.lincls().set("flowers").numClasses()).isEqualTo(102);
        assertThat(c.lincls().set("flowers").optim().batchSize()).isZero();
        assertThat(c.lincls().reference()).isTrue();
    }
}

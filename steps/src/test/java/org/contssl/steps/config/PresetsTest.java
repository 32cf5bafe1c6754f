package org.contssl.steps.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.contssl.steps.pretrain.PretrainPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped presets: the paper's ten README runs (docs/presets.md) plus the demo. */
class PresetsTest {

    /** One row of the reference's table of README runs: what each preset must carry. */
    record Row(String buffer, int buffSiz, int updates, int epochs, double lr, String schedule, String stream,
               int subsample, double saveFreq, long numFiles, boolean needsPretrained, String listType,
               String seqSampling) {
    }

    private static final String FLICKR = "memmap";
    private static final String KINETICS = "sequential";

    static final Map<String, Row> PAPER = Map.of(
            "flickr20m-conventional-10ep", new Row("none", 0, 1, 10, 0.05, "cos", "iid", 1, 1.0, 20_000_000, false,
                    FLICKR, null),
            "flickr20m-single-pass", new Row("none", 0, 1, 1, 0.05, "cos", "iid", 1, 1.0, 20_000_000, false, FLICKR,
                    null),
            "flickr20m-fifo-x10", new Row("fifo", 65_536, 10, 1, 0.05, "cos", "iid", 1, 1.0, 20_000_000, false,
                    FLICKR, null),
            // the reference's kinetics.yaml (consecutive clips) under none_noseq; the other three kinetics_random
            "kinetics-decorrelated-5ep", new Row("none_noseq", 0, 1, 5, 0.05, "cos", "iid", 1, 1.0, 15_360_000,
                    false, KINETICS, "consecutive"),
            "kinetics-conventional-5ep", new Row("none", 0, 1, 5, 0.05, "cos", "iid", 1, 1.0, 15_360_000, false,
                    KINETICS, "random"),
            "kinetics-fifo-x5", new Row("fifo", 65_536, 5, 1, 0.05, "cos", "iid", 1, 1.0, 15_360_000, false,
                    KINETICS, "random"),
            "kinetics-minred-x5", new Row("minred", 65_536, 5, 1, 0.05, "cos", "iid", 1, 1.0, 15_360_000, false,
                    KINETICS, "random"),
            "sec6-conventional", new Row("none", 0, 1, 1, 0.01, "constant", "ordered", 1, 0.05, 12_757_384, true,
                    FLICKR, null),
            "sec6-fifo-x4-quarter", new Row("fifo", 65_536, 4, 1, 0.01, "constant", "ordered", 4, 0.05, 12_757_384,
                    true, FLICKR, null),
            "sec6-minred-x4-quarter", new Row("minred", 65_536, 4, 1, 0.01, "constant", "ordered", 4, 0.05,
                    12_757_384, true, FLICKR, null));

    /** The probe lists every paper preset requires: the paper evaluates on ImageNet-1k and iNat-2018. */
    static final List<String> PROBE_KEYS = List.of("lincls.imnet.train_filelist", "lincls.imnet.val_filelist",
            "lincls.inat.train_filelist", "lincls.inat.val_filelist");

    private static List<String> dataKeys(Row row) {
        List<String> keys = new ArrayList<>(List.of("data.train_filelist=/data/list.memmap", "data.base_dir=/data"));
        if (row.needsPretrained()) {
            keys.add("model.pretrained=/ckpt/checkpoint_final");
        }
        PROBE_KEYS.forEach(k -> keys.add(k + "=/probes/" + k));
        return keys;
    }

    @Test
    void theJarShipsTheTenPaperRunsAndTheDemoEachWithADescription() {
        assertThat(Presets.names()).contains("demo").containsAll(PAPER.keySet());
        assertThat(ConfigLoader.presetNames()).isEqualTo(Presets.names());
        for (String name : Presets.names()) {
            assertThat(Presets.description(name)).as(name).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void everyPaperPresetResolvesToTheReferenceTableValues() {
        PAPER.forEach((name, row) -> {
            RunConfig c = ConfigLoader.load(name, dataKeys(row)).config();
            assertThat(c.model().policy()).as(name).isEqualTo(row.buffer());
            assertThat(c.model().backbone()).as(name).isEqualTo("resnet18");
            assertThat(c.optim().batchSize()).as(name).isEqualTo(256);
            assertThat(c.optim().epochs()).as(name).isEqualTo(row.epochs());
            assertThat(c.optim().lr()).as(name).isEqualTo(row.lr());
            assertThat(c.optim().lrSchedule().type()).as(name).isEqualTo(row.schedule());
            assertThat(c.optim().lrSchedule().exitDecay()).as(name).isZero();
            assertThat(c.optim().momentum()).as(name).isEqualTo(0.9);
            assertThat(c.optim().weightDecay()).as(name).isEqualTo(1e-4);
            assertThat(c.optim().fixPredLr()).as(name).isTrue();
            assertThat(c.model().bufferShards()).as(name).isEqualTo(4);
            assertThat(c.model().limitNumSeen()).as(name).isZero();
            assertThat(c.model().buffered()).as(name).isEqualTo(row.buffSiz() > 0);
            if (c.model().buffered()) {
                assertThat(c.model().buffSiz()).as(name).isEqualTo(row.buffSiz());
                assertThat(c.model().numUpdates()).as(name).isEqualTo(row.updates());
            }
            assertThat(c.data().stream()).as(name).isEqualTo(row.stream());
            assertThat(c.data().subsample()).as(name).isEqualTo(row.subsample());
            assertThat(c.data().numFiles()).as(name).isEqualTo(row.numFiles());
            assertThat(c.data().insize()).as(name).isEqualTo(224);
            assertThat(c.data().channels()).as(name).isEqualTo(3);
            assertThat(c.logging().saveFreq()).as(name).isEqualTo(row.saveFreq());
            assertThat(c.data().type()).as(name).isEqualTo(row.listType());
            if (row.seqSampling() != null) {
                assertThat(c.data().seqSampling()).as(name).isEqualTo(row.seqSampling());
                assertThat(c.data().nSeqSamples()).as(name).isEqualTo(64);
                assertThat(c.data().fnameFmt()).as(name).isEqualTo("{:03d}.jpeg");
            }
            // the user's lists are the probes: no built-in out-of-distribution probe is built next to them
            assertThat(c.data().oodProbe()).as(name).isFalse();
            assertThat(c.lincls().reference()).as(name).isTrue();
            assertThat(c.lincls().set("imnet").userLists()).as(name).isTrue();
            assertThat(c.lincls().set("imnet").numClasses()).as(name).isEqualTo(1000);
            assertThat(c.lincls().set("inat").numClasses()).as(name).isEqualTo(8142);
            assertThat(c.lincls().set("inat").optim().lr()).as(name).isEqualTo(12.0);
            assertThat(c.lincls().set("imnet").optim().batchSize()).as(name).isEqualTo(1024);
            // keys a paper preset does not state come from the demo preset
            assertThat(c.augment().blurP()).as(name).isEqualTo(0.5);
            assertThat(c.environment().seed()).as(name).isZero();
        });
    }

    @Test
    void thePresetsReproduceTheReferenceStepCounts() {
        // per rank x 4 = global: Flickr x10 781,250 steps; Sec. 6 buffers 49,832 (stream 48,812 + drain 1,020)
        RunConfig flickr = ConfigLoader.load("flickr20m-fifo-x10", dataKeys(PAPER.get("flickr20m-fifo-x10"))).config();
        assertThat(PretrainPlan.of(flickr, flickr.data().numFiles()).totalSteps()).isEqualTo(781_250);
        Row s6 = PAPER.get("sec6-minred-x4-quarter");
        RunConfig minred = ConfigLoader.load("sec6-minred-x4-quarter", dataKeys(s6)).config();
        PretrainPlan p = PretrainPlan.of(minred, minred.data().numFiles() / minred.data().subsample());
        assertThat(p.streamSteps()).isEqualTo(48_812);
        assertThat(p.drainSteps()).isEqualTo(1_020);
        RunConfig conv = ConfigLoader.load("sec6-conventional", dataKeys(PAPER.get("sec6-conventional"))).config();
        assertThat(PretrainPlan.of(conv, conv.data().numFiles()).totalSteps()).isEqualTo(49_833);
    }

    @Test
    void aPaperPresetWithoutItsDataKeysFailsWithOneLineNamingTheKeyAndItsFormat() {
        assertThatThrownBy(() -> ConfigLoader.load("kinetics-minred-x5", List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("preset kinetics-minred-x5 requires data.train_filelist (the Kinetics-400 frame list")
                .hasMessageContaining("data.train_filelist=")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> ConfigLoader.load("kinetics-minred-x5", List.of("data.train_filelist=/x")))
                .hasMessageContaining("requires data.base_dir");
        assertThatThrownBy(() -> ConfigLoader.load("sec6-fifo-x4-quarter",
                List.of("data.train_filelist=/x", "data.base_dir=")))
                .hasMessageContaining("requires model.pretrained (a contssl checkpoint directory");
        // plan may look at an incomplete configuration
        ResolvedConfig incomplete = ConfigLoader.loadIncomplete("kinetics-minred-x5", List.of());
        List<String> expected = new ArrayList<>(List.of("data.train_filelist", "data.base_dir"));
        expected.addAll(PROBE_KEYS);
        assertThat(Presets.missingKeys(incomplete.tree())).containsExactlyElementsOf(expected);
        List<String> noProbes = List.of("data.train_filelist=/k.txt", "data.base_dir=/k",
                "lincls.imnet.train_filelist=/t");
        assertThatThrownBy(() -> ConfigLoader.load("kinetics-minred-x5", noProbes))
                .hasMessageStartingWith("preset kinetics-minred-x5 requires lincls.imnet.val_filelist (ImageNet-1k val");
    }

    @Test
    void newKeysLimitNumSeenAndTriangleBindAndValidate() {
        RunConfig c = ConfigLoader.load(null, List.of("model.buffer_type=minred", "model.limit_num_seen_coeff=1.5",
                "optim.lr_schedule=triangle", "optim.lr_schedule.period=100", "optim.lr_schedule.max_lr=0.2",
                "optim.lr_schedule.exit_decay=0.1")).config();
        assertThat(c.model().limitNumSeen()).isEqualTo(6); // ceil(1.5 x R 4)
        assertThat(c.optim().lrSchedule().schedule())
                .isEqualTo(org.contssl.model.optim.LrSchedule.of(org.contssl.model.optim.LrSchedule.Type.TRIANGLE,
                        100, 0.2, 0.1));
        assertThat(ConfigLoader.load(null, List.of()).config().model().limitNumSeen()).isZero();
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.limit_num_seen_coeff=2")))
                .hasMessageContaining("applies to model.buffer_type=minred only");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("optim.lr_schedule.exit_decay=2")))
                .hasMessageContaining("optim.lr_schedule.exit_decay");
    }

    @Test
    void referenceOnlyKeysAreAcceptedAndChangeNothing() {
        ResolvedConfig base = ConfigLoader.load(null, List.of());
        ResolvedConfig withReferenceFlags = ConfigLoader.load(null, List.of("model.sync_bn=True",
                "environment.ngpu=4", "environment.dist_backend=nccl", "logging.save_freq_mints=20"));
        assertThat(withReferenceFlags.hash()).isEqualTo(base.hash());
        assertThat(ConfigLoader.load(null, List.of("model/backbone=resnet18")).config().model().backbone())
                .isEqualTo("resnet18");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("data.shuffle=False")))
                .hasMessageContaining("data.stream=iid");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.inat.eval_params.num_classes=8142")))
                .hasMessageContaining("the reference's lincls.inat.eval_params.num_classes is lincls.inat.num_classes");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("lincls.imnet.eval_params.resume_epoch=1")))
                .hasMessageContaining("eval.progress");
        // the reference's stream keys are contssl keys now
        assertThat(ConfigLoader.load(null, List.of("data.n_seq_samples=32")).config().data().nSeqSamples())
                .isEqualTo(32);
    }

    @Test
    void aPresetFileWrittenBeforeTheNewKeysStillLoadsAndTakesThem(@TempDir Path dir) throws Exception {
        String old = new String(ConfigLoader.class.getResourceAsStream("/presets/demo.yaml").readAllBytes())
                .replaceAll("(?s)  lr_schedule:.*?exit_decay: 0.0[^\n]*\n", "  lr_schedule: constant\n")
                .replaceAll("  limit_num_seen_coeff:[^\n]*\n", "")
                .replaceAll("description:[^\n]*\n", "");
        assertThat(old).contains("lr_schedule: constant").doesNotContain("limit_num_seen_coeff");
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, old);
        RunConfig c = ConfigLoader.load(file.toString(), List.of("model.buffer_type=minred",
                "model.limit_num_seen_coeff=1")).config();
        assertThat(c.optim().lrSchedule().type()).isEqualTo("constant");
        assertThat(c.model().limitNumSeen()).isEqualTo(4);
        assertThat(Presets.description(file.toString())).startsWith("The small CPU preset");
    }

    @Test
    void aPresetStatesOnlyWhatDiffersFromTheDemo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("small.yaml");
        Files.writeString(file, "model:\n  buffer_type: minred\noptim:\n  lr_schedule: {type: constant}\n");
        RunConfig c = ConfigLoader.load(file.toString(), List.of()).config();
        RunConfig demo = ConfigLoader.load(null, List.of()).config();
        assertThat(c.model().policy()).isEqualTo("minred");
        assertThat(c.optim().lrSchedule().type()).isEqualTo("constant");
        assertThat(c.optim().lrSchedule().period()).isEqualTo(demo.optim().lrSchedule().period());
        assertThat(c.data()).isEqualTo(demo.data());
        assertThat(c.lincls()).isEqualTo(demo.lincls());
        // the demo restated in a file is the same experiment: merging it onto itself changes nothing
        Path copy = dir.resolve("demo-copy.yaml");
        Files.write(copy, ConfigLoader.class.getResourceAsStream("/presets/demo.yaml").readAllBytes());
        assertThat(ConfigLoader.load(copy.toString(), List.of()).hash())
                .isEqualTo(ConfigLoader.load(null, List.of()).hash());
        // a key neither the demo nor the file defines is still an error
        Files.writeString(file, "data:\n  n_seq_sample: 4\n");
        assertThatThrownBy(() -> ConfigLoader.load(file.toString(), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("n_seq_sample");
    }
}

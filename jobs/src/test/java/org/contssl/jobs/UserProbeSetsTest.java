package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.lists.MemmapList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe sets from the user's own data on real images: the built-in Fashion-MNIST probe of a small run, exported as an
 * ImageNet-style class-folder tree {@code T/train/<class>/*.png}, {@code T/val/<class>/*.png} and as
 * {@code <path> <label>} lists {@code T/trainlist.txt}, {@code T/vallist.txt}, then given back as
 * {@code lincls.imnet}: same images, so the same accuracies (identical for the lists, which keep the order; within
 * 0.3 points for the tree, which groups the images by class). Bad lists are refused before any job starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserProbeSetsTest {

    /** Small and fast: 512 stream images, conv4 at 28 px, only the final checkpoint probed, no MNIST. */
    private static final List<String> SMALL = List.of("data.num_files=512", "data.probe_train_size=2000",
            "data.probe_test_size=2000", "data.ood_probe=false", "model.buff_siz=128", "optim.batch_size=32",
            "model.num_updates=2", "eval.progress=1.0", "environment.threads=1");
    private static final List<String> ENCODERS = List.of("checkpoint_final", "random-init", "raw-pixels");

    @TempDir
    static Path shared;
    static Path builtIn;
    static Path tree;
    static Map<String, Double> builtInTop1;


    @BeforeAll
    static void builtInRunAndExport() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install -y dataset-fashion-mnist)");
        builtIn = shared.resolve("builtin");
        assertThat(run(builtIn).code()).isEqualTo(ExitCodes.OK);
        builtInTop1 = linearTop1(builtIn, "fashion-mnist");
        tree = shared.resolve("T");
        export(builtIn.resolve("lists/probe-fashion-mnist-train.memmap"), "train", tree.resolve("trainlist.txt"));
        export(builtIn.resolve("lists/probe-fashion-mnist-test.memmap"), "val", tree.resolve("vallist.txt"));
    }

    @Test
    @Order(1)
    void textListsOfTheBuiltInSplitGiveTheBuiltInAccuracies() throws Exception {
        Path w = shared.resolve("lists");
        CliRun r = run(w, "lincls.imnet.train_filelist=" + tree.resolve("trainlist.txt"),
                "lincls.imnet.val_filelist=" + tree.resolve("vallist.txt"), "lincls.imnet.num_classes=10");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        Map<String, Double> user = linearTop1(w, "imnet");
        assertThat(user.keySet()).containsExactlyInAnyOrderElementsOf(ENCODERS);
        // same images in the same order, same encoder: the very same numbers
        assertThat(user).isEqualTo(builtInTop1);
        JsonNode results = results(w);
        assertThat(results.get("final_params_sha256").asText())
                .isEqualTo(results(builtIn).get("final_params_sha256").asText());
        assertThat(results.get("probe_protocols").get("imnet").get("mode").asText()).startsWith("cached");
        assertThat(Files.readString(w.resolve("reports/report.md"))).contains("Probe mode (lincls.mode): cached");
    }

    @Test
    @Order(2)
    void aClassFolderTreeOfTheSameImagesGivesTheSameAccuraciesWithinAFewTenths() throws Exception {
        Path w = shared.resolve("folders");
        CliRun r = run(w, "lincls.imnet.train_filelist=" + tree.resolve("train"),
                "lincls.imnet.val_filelist=" + tree.resolve("val"), "lincls.imnet.num_classes=10");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        Map<String, Double> user = linearTop1(w, "imnet");
        for (String encoder : ENCODERS) {
            assertThat(user.get(encoder)).as(encoder).isCloseTo(builtInTop1.get(encoder),
                    org.assertj.core.data.Offset.offset(0.3));
        }
    }

    @Test
    @Order(3)
    void referenceModeReAugmentsAndNamesItsProtocol() throws Exception {
        Path w = shared.resolve("reference");
        CliRun r = run(w, "lincls.imnet.train_filelist=" + tree.resolve("trainlist.txt"),
                "lincls.imnet.val_filelist=" + tree.resolve("vallist.txt"), "lincls.mode=reference",
                // the reference's 1024 x 10 epochs would give 2,000 images 20 LARC steps: far too few to converge
                "lincls.imnet.optim.epochs=8", "lincls.imnet.optim.batch_size=32", "lincls.imnet.optim.lr=12");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        Map<String, Double> top1 = linearTop1(w, "imnet");
        assertThat(top1.keySet()).containsExactlyInAnyOrderElementsOf(ENCODERS);
        // another protocol, another number, but a working probe: well above the 10 % of chance
        top1.values().forEach(v -> assertThat(v).isGreaterThan(30.0));
        assertThat(top1).isNotEqualTo(builtInTop1);
        JsonNode protocol = results(w).get("probe_protocols").get("imnet");
        assertThat(protocol.get("mode").asText()).startsWith("reference").contains("0.875");
        assertThat(protocol.get("epochs").asInt()).isEqualTo(8);
        assertThat(protocol.get("batch_size").asInt()).isEqualTo(32);
    }

    @Test
    @Order(4)
    void badListsAreOneLineErrorsWithExitSixBeforeAnythingIsWritten() throws Exception {
        Path bad = shared.resolve("bad");
        Files.createDirectories(bad);
        List<String> lines = Files.readAllLines(tree.resolve("vallist.txt"));
        lines.set(6, lines.get(6).replaceFirst(" \\d+$", " 10"));
        Files.write(bad.resolve("vallist.txt"), lines);
        Files.write(bad.resolve("escape.txt"), List.of("../outside.png 1"));

        Path w = shared.resolve("refused");
        CliRun label = run(w, "lincls.imnet.train_filelist=" + tree.resolve("trainlist.txt"),
                "lincls.imnet.val_filelist=" + bad.resolve("vallist.txt"), "lincls.imnet.num_classes=10");
        assertThat(label.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(label.err().strip()).doesNotContain("\n")
                .contains(bad.resolve("vallist.txt") + ": line 7: label 10 is outside [0, 10)");

        CliRun classes = run(w, "lincls.imnet.train_filelist=" + tree.resolve("trainlist.txt"),
                "lincls.imnet.val_filelist=" + tree.resolve("vallist.txt"), "lincls.imnet.num_classes=12");
        assertThat(classes.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(classes.err().strip()).doesNotContain("\n").contains(tree.resolve("trainlist.txt") + ": line ")
                .contains("the largest label is 9 (10 classes) but lincls.imnet.num_classes=12");

        CliRun folders = run(w, "lincls.imnet.train_filelist=" + tree.resolve("train"),
                "lincls.imnet.val_filelist=" + tree.resolve("val"), "lincls.imnet.num_classes=8");
        assertThat(folders.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(folders.err()).contains("class folder '8'").contains("lincls.imnet.num_classes=8");

        CliRun escape = run(w, "lincls.extra.train_filelist=" + tree.resolve("trainlist.txt"),
                "lincls.extra.val_filelist=" + bad.resolve("escape.txt"), "lincls.extra.role=out-of-distribution");
        assertThat(escape.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(escape.err()).contains(bad.resolve("escape.txt") + ": line 1: path '../outside.png' is outside");

        assertThat(w).doesNotExist();
    }

    /** Copies a probe list's images to {@code T/<split>/<label>/<index>.png} and writes its {@code <path> <label>} list. */
    private static void export(Path memmap, String split, Path listFile) throws Exception {
        List<String> lines = new ArrayList<>();
        try (MemmapList list = MemmapList.open(memmap)) {
            for (long i = 0; i < list.size(); i++) {
                int label = list.labelAt(i);
                String rel = split + "/" + label + "/" + String.format("%05d.png", i);
                Path target = tree.resolve(rel);
                Files.createDirectories(target.getParent());
                Files.copy(list.resolve(i), target);
                lines.add(rel + " " + label);
            }
        }
        Files.write(listFile, lines);
    }

    private static CliRun run(Path workdir, String... overrides) {
        List<String> args = new ArrayList<>(List.of("run", "--workdir", workdir.toString()));
        args.addAll(SMALL);
        args.addAll(List.of(overrides));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static JsonNode results(Path workdir) throws Exception {
        return new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
    }

    /** Linear top-1 by encoder (checkpoint name or floor) on {@code dataset}. */
    private static Map<String, Double> linearTop1(Path workdir, String dataset) throws Exception {
        Map<String, Double> out = new HashMap<>();
        for (JsonNode p : results(workdir).get("probes")) {
            if (dataset.equals(p.get("dataset").asText()) && "linear".equals(p.get("method").asText())) {
                String encoder = p.hasNonNull("checkpoint") ? p.get("checkpoint").asText() : p.get("encoder").asText();
                out.put(encoder, p.get("top1").asDouble());
            }
        }
        return out;
    }
}

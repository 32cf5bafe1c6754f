package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of real photos runs end to end: the JPEG and PNG files of Debian's {@code visp-images-data} (camera
 * shots of AprilTags, the 1927 Solvay conference photograph at four sizes, Klimt, warped and blurred variants;
 * grey and colour, 640×440 up to 2126×1463), arranged as a class-folder tree by the directory they come from.
 * CI installs the package ({@code .ci/run}).
 */
class RealPhotoFolderTest {

    static final Path VISP = Path.of("/usr/share/visp-images-data/ViSP-images");

    @Test
    void aClassFolderTreeOfRealJpegAndPngPhotosRunsThroughThePipeline(@TempDir Path root) throws Exception {
        assumeTrue(Files.isDirectory(VISP), "needs Debian's visp-images-data (apt-get install -y visp-images-data)");
        Path tree = root.resolve("photos");
        int copied = 0;
        try (Stream<Path> files = Files.walk(VISP)) {
            for (Path f : files.filter(RealPhotoFolderTest::isPhoto).sorted().toList()) {
                // the class is the top-level ViSP directory (AprilTag, Solvay, warp, ...)
                String cls = VISP.relativize(f).getName(0).toString();
                Path dst = tree.resolve(cls).resolve(f.getFileName());
                Files.createDirectories(dst.getParent());
                Files.copy(f, dst);
                copied++;
            }
        }
        assertThat(copied).as("JPEG/PNG photos in " + VISP).isGreaterThanOrEqualTo(40);

        Path workdir = root.resolve("run");
        int code = Main.execute(PipelineFixture.args("run", workdir, List.of(
                "data.source=folder:" + tree, "data.num_files=0", "data.insize=32", "data.channels=3",
                "data.ood_probe=false", "model.buff_siz=16", "model.num_updates=2", "optim.batch_size=8",
                "logging.save_freq=0.5", "eval.progress=1.0", "lincls.imnet.optim.epochs=5",
                "lincls.imnet.optim.batch_size=8", "environment.threads=1")));
        assertThat(code).isEqualTo(ExitCodes.OK);

        JsonNode results = new ObjectMapper().readTree(workdir.resolve("reports/results.json").toFile());
        assertThat(results.get("final_params_sha256").asText()).hasSize(64);
        // every photo decoded: none was skipped as a bad image
        assertThat(results.get("skipped_images_total").asLong()).isZero();
        String metrics = Files.readString(workdir.resolve("metrics.csv"));
        assertThat(metrics.lines().count()).as("training steps logged").isGreaterThan(2);
        assertThat(results.get("probes").toString()).contains("\"checkpoint_final\"");
    }

    private static boolean isPhoto(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }
}

package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.status.ExecutionHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad probe images are found by the {@code lists} job, before the first SGD step (docs/failures.md): a probe-set
 * PNG whose header declares 100,000 × 100,000 pixels is listed in skipped.csv when the skip limit allows it, and
 * fails the run in {@code lists} with one line naming it when there are more than the limit allows.
 */
class ProbeImageCheckTest {

    @Test
    void decompressionBombsInAProbeSetAreFoundBeforeTraining(@TempDir Path root) throws Exception {
        Path tree = TestImageTree.create(root.resolve("images"), 10, 40, 16, 11);
        Path probe = TestImageTree.create(root.resolve("probe"), 4, 10, 16, 12);
        byte[] bomb = bombPng();
        // 40 images, data.skip_limit=0.05: two may be skipped, three fail the run
        for (int i = 0; i < 3; i++) {
            Files.write(probe.resolve(String.format("class_%02d", i)).resolve("bomb.png"), bomb);
        }
        List<String> o = PipelineFixture.overrides(tree, "data.skip_limit=0.05",
                "lincls.extra.train_filelist=" + probe, "lincls.extra.val_filelist=" + probe,
                "lincls.extra.num_classes=4");
        Path workdir = root.resolve("w");
        Path log = root.resolve("run.log");
        Process p = PipelineFixture.startChild(log, PipelineFixture.args("run", workdir, o));
        assertThat(PipelineFixture.await(p, 300)).as(Files.readString(log)).isEqualTo(ExitCodes.JOB_FAILED);
        String out = Files.readString(log);
        assertThat(out).contains("error: pipeline FAILED: lists/lists: probe image ").contains("bomb.png")
                .contains("100000x100000");
        ExecutionHistory history = PipelineFixture.history(workdir);
        assertThat(history.of("lists").get(0).status()).isEqualTo("FAILED");
        assertThat(history.of("pretrain")).isEmpty();
        assertThat(workdir.resolve("checkpoints")).doesNotExist();

        // within the limit: listed in skipped.csv by the lists job, and the run goes on
        Files.delete(probe.resolve("class_02").resolve("bomb.png"));
        Process lists = PipelineFixture.startChild(root.resolve("lists.log"), PipelineFixture.args("run",
                root.resolve("w2"), o));
        assertThat(waitForPretrain(lists, root.resolve("w2"))).as(Files.readString(root.resolve("lists.log")))
                .isTrue();
        lists.destroyForcibly().waitFor();
        String skipped = Files.readString(root.resolve("w2/skipped.csv"));
        assertThat(skipped.lines().filter(l -> l.contains("bomb.png") && l.contains("too_large")).count())
                .isEqualTo(2);
    }

    private static boolean waitForPretrain(Process p, Path workdir) throws InterruptedException {
        for (int i = 0; i < 6000 && p.isAlive(); i++) {
            if (Files.isDirectory(workdir.resolve("buffer"))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** A valid PNG signature and IHDR declaring 100,000 × 100,000 grey pixels, then a tiny IDAT and IEND. */
    static byte[] bombPng() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(100_000).putInt(100_000).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x63, 0, 0, 0, 1, 0, 1});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}

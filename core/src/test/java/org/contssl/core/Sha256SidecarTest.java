package org.contssl.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256SidecarTest {

    @TempDir
    Path dir;

    @Test
    void aWrittenFileVerifiesUntilOneByteChanges() throws Exception {
        Path f = dir.resolve("a.bin");
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Sha256Sidecar.write(f, out -> {
            for (byte b : content) {
                out.write(b); // byte at a time, as DataOutputStream-style writers do
            }
        });
        assertThat(Sha256Sidecar.verify(f)).isEqualTo(Sha256Sidecar.Verdict.OK);
        assertThat(Files.readString(Sha256Sidecar.of(f)).trim()).endsWith(" 200000");

        content[123_456] ^= 1;
        Files.write(f, content);
        assertThat(Sha256Sidecar.verify(f)).isEqualTo(Sha256Sidecar.Verdict.MISMATCH);
        Sha256Sidecar.deleteRecord(f);
        assertThat(Sha256Sidecar.verify(f)).isEqualTo(Sha256Sidecar.Verdict.UNRECORDED);
        assertThat(Sha256Sidecar.verify(dir.resolve("absent"))).isEqualTo(Sha256Sidecar.Verdict.MISSING);
    }

    @Test
    void anAppendOnlyFileKeepsVerifyingItsRecordedPrefixButNotATruncation() throws Exception {
        Path csv = dir.resolve("metrics.csv");
        Files.writeString(csv, "step,loss\n1,0.5\n2,0.4\n");
        Sha256Sidecar.record(csv);
        Files.writeString(csv, "3,0.3\n", StandardOpenOption.APPEND);
        assertThat(Sha256Sidecar.verify(csv)).isEqualTo(Sha256Sidecar.Verdict.OK);

        Files.writeString(csv, "step,loss\n1,0.5\n");
        assertThat(Sha256Sidecar.verify(csv)).as("shorter than recorded").isEqualTo(Sha256Sidecar.Verdict.MISMATCH);
    }

    @Test
    void aCutRecordedBeforeItIsWrittenHoldsForTheOldAndTheNewFile() throws Exception {
        Path csv = dir.resolve("metrics.csv");
        Files.writeString(csv, "step,loss\n1,0.5\n2,0.4\n3,0.3\n");
        byte[] cut = "step,loss\n1,0.5\n".getBytes(StandardCharsets.UTF_8);
        Sha256Sidecar.recordUpcoming(csv, cut);
        assertThat(Sha256Sidecar.verify(csv)).as("crash before the rewrite").isEqualTo(Sha256Sidecar.Verdict.OK);
        AtomicFiles.write(csv, cut);
        assertThat(Sha256Sidecar.verify(csv)).isEqualTo(Sha256Sidecar.Verdict.OK);
    }
}

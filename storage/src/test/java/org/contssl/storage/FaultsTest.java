package org.contssl.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files and wrong configurations give one-line errors naming the file and the way out. */
class FaultsTest {
    static final BufferSpec SPEC = BufferSpec.of(BufferPolicy.MINRED, 64, 16, 4);

    @TempDir
    Path dir;

    /** A closed buffer whose trained entries all carry the feature (0.25, ..., 0.25), easy to find in the file. */
    private Path filledBuffer() {
        Path d = dir.resolve("buffer");
        try (ReplayBuffer b = ReplayBuffers.create(SPEC, d)) {
            for (int c = 0; c < 5; c++) {
                b.insert(LongStream.range(c * 16L, c * 16L + 16).toArray(), null);
            }
            long[] batch = b.sample(16);
            float[][] f = new float[16][16];
            for (float[] row : f) {
                Arrays.fill(row, 0.25f);
            }
            b.updateStats(batch, new float[16], new float[16], f);
        }
        return d;
    }

    private static void assertOneLineWayOut(Throwable e, Path file) {
        assertThat(e).isInstanceOf(BufferStateException.class);
        assertThat(e.getMessage()).doesNotContain("\n").contains(file.toString());
    }

    @Test
    void truncatedFileIsRefusedBeforeItIsMapped() throws Exception {
        Path d = filledBuffer();
        Path f = d.resolve("replay.cm");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() / 3);
        }
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> ReplayBuffers.open(SPEC, d));
        assertOneLineWayOut(e, f);
        assertThat(e.getMessage()).contains("truncated").contains("restart from the previous checkpoint");
    }

    @Test
    void corruptedRecordIsDetectedByItsChecksum() throws Exception {
        Path d = filledBuffer();
        Path f = d.resolve("replay.cm");
        byte[] all = Files.readAllBytes(f);
        byte[] pattern = new byte[32];
        for (int i = 0; i < 32; i += 4) {
            pattern[i + 2] = (byte) 0x80;
            pattern[i + 3] = (byte) 0x3E; // 0.25f little-endian
        }
        int at = indexOf(all, pattern);
        assertThat(at).as("a stored feature").isPositive();
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(at + 9);
            raf.write(0x41);
        }
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> ReplayBuffers.open(SPEC, d));
        assertOneLineWayOut(e, f);
        assertThat(e.getMessage()).contains("corrupted").contains("restart from the previous checkpoint");
    }

    @Test
    void garbageFileGivesAnErrorNotACrash() throws Exception {
        Path d = dir.resolve("garbage");
        Files.createDirectories(d);
        byte[] junk = new byte[1 << 20];
        new Random(1).nextBytes(junk);
        Files.write(d.resolve("replay.cm"), junk);
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> ReplayBuffers.open(SPEC, d));
        assertOneLineWayOut(e, d.resolve("replay.cm"));
    }

    @Test
    void featureDimensionMismatchNamesBothDimensions() {
        Path d = filledBuffer();
        BufferSpec other = BufferSpec.of(BufferPolicy.MINRED, 64, 24, 4);
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> ReplayBuffers.open(other, d));
        assertOneLineWayOut(e, d.resolve("replay.cm"));
        assertThat(e.getMessage()).contains("16-d").contains("24");
        // the mismatched open did not damage the buffer
        try (ReplayBuffer b = ReplayBuffers.open(SPEC, d)) {
            assertThat(b.size()).isEqualTo(64);
        }
        try (ReplayBuffer b = ReplayBuffers.open(SPEC, d)) {
            assertThatThrownBy(() -> b.updateStats(new long[] {70}, new float[1], new float[1], new float[][] {{1f}}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configured for 16")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void damagedSnapshotsAreRefusedAndLeaveTheBufferIntact() throws Exception {
        Path d = filledBuffer();
        try (ReplayBuffer b = ReplayBuffers.open(SPEC, d)) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            b.snapshotTo(o);
            byte[] snap = o.toByteArray();
            long[] before = b.streamIndices();
            assertThatThrownBy(() -> b.restoreFrom(new ByteArrayInputStream(Arrays.copyOf(snap, snap.length / 2))))
                    .isInstanceOf(BufferStateException.class).hasMessageContaining("truncated")
                    .hasMessageNotContaining("\n");
            byte[] bad = snap.clone();
            bad[0] ^= 1;
            assertThatThrownBy(() -> b.restoreFrom(new ByteArrayInputStream(bad)))
                    .isInstanceOf(BufferStateException.class).hasMessageContaining("not a replay-buffer snapshot");
            assertThat(b.streamIndices()).containsExactly(before);
            ReplayBuffer wrongDim = ReplayBuffers.create(BufferSpec.of(BufferPolicy.MINRED, 64, 24, 4),
                    dir.resolve("other"));
            assertThatThrownBy(() -> wrongDim.restoreFrom(new ByteArrayInputStream(snap)))
                    .hasMessageContaining("16-d features");
            wrongDim.close();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

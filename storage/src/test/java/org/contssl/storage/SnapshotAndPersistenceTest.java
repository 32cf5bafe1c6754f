package org.contssl.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SnapshotAndPersistenceTest {
    @TempDir
    Path dir;

    static BufferSpec spec(BufferPolicy p) {
        return new BufferSpec(p, 96, 20, 2, 77, 0);
    }

    /** Compares snapshots by their first differing byte (printing 100 KB arrays helps nobody). */
    static void assertSameBytes(byte[] actual, byte[] expected, String what) {
        int n = Math.min(actual.length, expected.length);
        int first = -1;
        for (int i = 0; i < n && first < 0; i++) {
            if (actual[i] != expected[i]) {
                first = i;
            }
        }
        if (first < 0 && actual.length != expected.length) {
            first = n;
        }
        assertThat(first).as(what + ": first differing byte (lengths " + actual.length + " vs " + expected.length
                + ")").isEqualTo(-1);
    }

    static byte[] snapshot(ReplayBuffer b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        b.snapshotTo(o);
        return o.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(value = BufferPolicy.class, names = {"FIFO", "MINRED", "RESERVOIR"})
    void restoredBufferContinuesExactlyLikeTheOriginal(BufferPolicy policy) throws IOException {
        Workload a = new Workload(16, 4, 20, 5);
        byte[] mid;
        Workload b;
        byte[] endA;
        try (ReplayBuffer buf = ReplayBuffers.create(spec(policy), dir.resolve("a"))) {
            for (int c = 0; c < 10; c++) {
                a.chunk(buf, c);
            }
            mid = snapshot(buf);
            b = a.copyCounters();
            a.log.clear();
            for (int c = 10; c < 22; c++) {
                a.chunk(buf, c);
            }
            endA = snapshot(buf);
        }
        try (ReplayBuffer buf = ReplayBuffers.restore(spec(policy), dir.resolve("b"),
                new ByteArrayInputStream(mid))) {
            assertSameBytes(snapshot(buf), mid, "snapshot of a restored buffer");
            for (int c = 10; c < 22; c++) {
                b.chunk(buf, c);
            }
            assertThat(b.log).containsExactlyElementsOf(a.log);
            assertSameBytes(snapshot(buf), endA, "final snapshot");
        }
        // restoring over an existing buffer (same directory) works too
        try (ReplayBuffer buf = ReplayBuffers.open(spec(policy), dir.resolve("a"))) {
            buf.restoreFrom(new ByteArrayInputStream(mid));
            assertSameBytes(snapshot(buf), mid, "restored in place");
        }
        try (ReplayBuffer buf = ReplayBuffers.open(spec(policy), dir.resolve("a"))) {
            assertSameBytes(snapshot(buf), mid, "restore is durable");
        }
    }

    @ParameterizedTest
    @EnumSource(value = BufferPolicy.class, names = {"FIFO", "MINRED", "RESERVOIR"})
    void stateSurvivesCloseAndReopen(BufferPolicy policy) throws IOException {
        Workload control = new Workload(16, 4, 20, 9);
        Workload reopened = new Workload(16, 4, 20, 9);
        try (ReplayBuffer c = ReplayBuffers.create(spec(policy), dir.resolve("control"))) {
            ReplayBuffer r = ReplayBuffers.create(spec(policy), dir.resolve("reopened"));
            for (int k = 0; k < 24; k++) {
                control.chunk(c, k);
                reopened.chunk(r, k);
                if (k % 6 == 5) {
                    r.close();
                    if (k % 12 == 11) {
                        // without the close-time snapshot the derived state is rebuilt from the map: same decisions
                        java.nio.file.Files.deleteIfExists(dir.resolve("reopened").resolve("replay.close-snapshot"));
                    }
                    r = ReplayBuffers.open(spec(policy), dir.resolve("reopened"));
                    assertThat(r.streamIndices()).containsExactly(c.streamIndices());
                    assertThat(r.diagnostics().toString().replaceAll("\\[J@\\w+", ""))
                            .isEqualTo(c.diagnostics().toString().replaceAll("\\[J@\\w+", ""));
                }
            }
            r.close();
            assertThat(reopened.log).containsExactlyElementsOf(control.log);
        }
    }

    @org.junit.jupiter.api.Test
    void wideFeaturesPersistAndRestore() throws IOException {
        BufferSpec wide = new BufferSpec(BufferPolicy.MINRED, 128, 2048, 1, 3, 0);
        Workload w = new Workload(32, 4, 2048, 1);
        byte[] snap;
        try (ReplayBuffer b = ReplayBuffers.create(wide, dir.resolve("wide"))) {
            for (int c = 0; c < 8; c++) {
                w.chunk(b, c);
            }
            snap = snapshot(b);
        }
        try (ReplayBuffer b = ReplayBuffers.open(wide, dir.resolve("wide"))) {
            assertSameBytes(snapshot(b), snap, "2048-d buffer after close and reopen");
        }
    }
}

package org.contssl.storage;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM for the kill -9 tests: runs the {@link Workload} on a buffer and reports progress on stdout.
 * args: dir, mode (idle = stop after N chunks and wait to be killed; busy = keep going), N, snapshot-at chunk.
 */
public final class CrashChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        int n = Integer.parseInt(args[2]);
        int snapAt = Integer.parseInt(args[3]);
        ReplayBuffer buf = ReplayBuffers.create(CrashRecoveryTest.SPEC, dir);
        Workload w = new Workload(16, 4, CrashRecoveryTest.SPEC.featureDim(), 3);
        for (int c = 0; mode.equals("busy") || c < n; c++) {
            w.chunk(buf, c);
            if (c == snapAt) {
                try (OutputStream o = Files.newOutputStream(dir.resolveSibling("snapshot.bin"))) {
                    buf.snapshotTo(o);
                }
            }
            System.out.println("CHUNK " + c);
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
        Thread.sleep(600_000);
    }
}

package org.contssl.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real kill -9 of a child JVM writing to the buffer, then reopen (recoverPersistedTo) in this JVM. */
class CrashRecoveryTest {
    static final BufferSpec SPEC = new BufferSpec(BufferPolicy.MINRED, 128, 24, 2, 21, 0);

    @TempDir
    Path tmp;

    private Process start(Path dir, String mode, int n, int snapAt) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Xmx")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashChild.class.getName());
        cmd.add(dir.toString());
        cmd.add(mode);
        cmd.add(Integer.toString(n));
        cmd.add(Integer.toString(snapAt));
        Path err = dir.resolveSibling("child-stderr.txt");
        lastErr = err;
        Files.createDirectories(dir.getParent());
        return new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    }

    /** Reads child lines until one starts with {@code until}; returns the last CHUNK number seen. */
    private Path lastErr;

    private int waitFor(Process p, String until) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        int last = -1;
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("CHUNK ")) {
                last = Integer.parseInt(line.substring(6).trim());
            }
            if (line.startsWith(until)) {
                return last;
            }
        }
        String err = lastErr != null && Files.exists(lastErr) ? Files.readString(lastErr) : "";
        err = err.lines().filter(l -> !l.contains("DEBUG")).reduce("", (a, b2) -> a + " | " + b2);
        throw new IllegalStateException("child ended before printing " + until + "; its stderr: "
                + err.substring(Math.max(0, err.length() - 2000)));
    }

    private static void kill9(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void killedBetweenUpdatesReopensWithExactlyTheLastCompletedState() throws Exception {
        Path dir = tmp.resolve("buffer");
        Process p = start(dir, "idle", 14, -1);
        waitFor(p, "DONE");
        kill9(p);
        assertThat(Files.exists(dir.resolve("replay.cm.clean"))).isFalse();

        Workload control = new Workload(16, 4, SPEC.featureDim(), 3);
        Workload resumed;
        try (ReplayBuffer c = ReplayBuffers.create(SPEC, tmp.resolve("control"));
             ReplayBuffer r = ReplayBuffers.open(SPEC, dir)) {
            for (int k = 0; k < 14; k++) {
                control.chunk(c, k);
            }
            assertThat(r.streamIndices()).containsExactly(c.streamIndices());
            assertThat(r.diagnostics().labelCounts()).isEqualTo(c.diagnostics().labelCounts());
            resumed = control.copyCounters();
            control.log.clear();
            for (int k = 14; k < 20; k++) {
                control.chunk(c, k);
                resumed.chunk(r, k);
            }
        }
        assertThat(resumed.log).containsExactlyElementsOf(control.log);
    }

    @Test
    void killedWhileWritingReopensInAStateTheBufferReallyHad() throws Exception {
        // every state the uninterrupted run passes through, operation by operation
        java.util.Set<String> states = new java.util.HashSet<>();
        Workload control = new Workload(16, 4, SPEC.featureDim(), 3);
        control.afterOp = b -> states.add(Workload.fingerprint(b));
        try (ReplayBuffer c = ReplayBuffers.create(SPEC, tmp.resolve("control"))) {
            for (int k = 0; k < 40; k++) {
                control.chunk(c, k);
            }
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Path dir = tmp.resolve("busy" + attempt).resolve("buffer");
            Process p = start(dir, "busy", 0, 4);
            int seen = -1;
            while (seen < 8 + 3 * attempt) {
                seen = waitFor(p, "CHUNK");
            }
            Thread.sleep(attempt * 7L);
            kill9(p);
            try (ReplayBuffer r = ReplayBuffers.open(SPEC, dir)) {
                String at = Workload.fingerprint(r);
                assertThat(states).as("recovered state after chunk %d is one the run passed through", seen)
                        .contains(at);
                assertThat(r.size()).isEqualTo(SPEC.capacity());
                new Workload(16, 4, SPEC.featureDim(), 3).chunk(r, 2_000); // and it keeps working
            }
            // the restart path: the snapshot taken at chunk 4 restores exactly, whatever the live file holds
            Workload again = new Workload(16, 4, SPEC.featureDim(), 3);
            try (ReplayBuffer c = ReplayBuffers.create(SPEC, tmp.resolve("control" + attempt));
                 InputStream snap = Files.newInputStream(dir.resolveSibling("snapshot.bin"));
                 ReplayBuffer r = ReplayBuffers.restore(SPEC, dir, snap)) {
                for (int k = 0; k <= 4; k++) {
                    again.chunk(c, k);
                }
                Workload resumed = again.copyCounters();
                again.log.clear();
                for (int k = 5; k < 9; k++) {
                    again.chunk(c, k);
                    resumed.chunk(r, k);
                }
                assertThat(resumed.log).containsExactlyElementsOf(again.log);
            }
        }
    }
}

package org.contssl.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the kill-and-restart tests share: a SIGKILL at a moment seen in the workdir, and the final parameters' hash. */
final class CrashFixture {

    private CrashFixture() {
    }

    /** Waits until {@code reached} holds for the workdir, then sends SIGKILL; false if the process ended first. */
    static boolean killWhen(Process p, Path workdir, Predicate<Path> reached) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (reached.test(workdir)) {
                p.destroyForcibly();
                p.waitFor();
                return true;
            }
            Thread.sleep(1);
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return false;
    }

    /** SHA-256 of the final parameters, as the final checkpoint's manifest records it. */
    static String finalParamsSha(Path workdir) throws IOException {
        return new ObjectMapper().readTree(workdir.resolve("checkpoints/checkpoint_final/manifest.json").toFile())
                .get("metadata").get("params_sha256").asText();
    }
}

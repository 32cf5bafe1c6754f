package org.contssl.jobs;

import java.nio.file.Path;
import org.contssl.jobs.launch.WorkdirLock;

/** Child-process main for tests: takes a workdir lock, says so, and holds it until killed. */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (WorkdirLock lock = WorkdirLock.tryAcquire(Path.of(args[0])).orElseThrow()) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}

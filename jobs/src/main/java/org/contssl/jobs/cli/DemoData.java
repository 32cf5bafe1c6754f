package org.contssl.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes the demo's real data present: Fashion-MNIST comes from Debian's dataset-fashion-mnist package,
 * installed here when we are root and it is missing (otherwise one line says how).
 */
final class DemoData {

    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String PACKAGE = "dataset-fashion-mnist";

    private DemoData() {
    }

    static int ensureAvailable() {
        if (Files.isRegularFile(FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))) {
            return ExitCodes.OK;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.err.println("error: Fashion-MNIST is not installed (" + FASHION_MNIST + "): run `sudo apt-get install -y "
                    + PACKAGE + "` and try again");
            return ExitCodes.BAD_INPUT;
        }
        System.err.println("installing Fashion-MNIST: apt-get install -y " + PACKAGE);
        if (!exec(List.of("apt-get", "install", "-y", "-q", PACKAGE))) {
            // a fresh machine may have empty package lists
            exec(List.of("apt-get", "update", "-q"));
            exec(List.of("apt-get", "install", "-y", "-q", PACKAGE));
        }
        if (!Files.isRegularFile(FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))) {
            System.err.println("error: apt-get could not install " + PACKAGE + "; install it by hand and try again");
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }

    private static boolean exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

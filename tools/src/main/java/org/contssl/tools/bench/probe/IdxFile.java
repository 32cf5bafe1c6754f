package org.contssl.tools.bench.probe;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the gzip'd IDX files Debian's {@code dataset-fashion-mnist} ships (big-endian header: magic 2051 for
 * images / 2049 for labels, count, then rows and cols for images; then raw uint8), as flat arrays the raw-pixel floor
 * of the probe benchmark turns straight into a feature matrix.
 */
public final class IdxFile {
    private IdxFile() {}

    /** Images as unsigned bytes, row-major per image; {@code [count][rows*cols]} flattened into one array. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public int pixelsPerImage() { return rows * cols; }
    }

    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 2051) {
                throw new IOException(file + ": magic " + magic + " is not 2051 (IDX images); pass the *-images-idx3-ubyte.gz file");
            }
            int n = in.readInt();
            int r = in.readInt();
            int c = in.readInt();
            if (n <= 0 || r <= 0 || c <= 0) {
                throw new IOException(file + ": bad IDX header count=" + n + " rows=" + r + " cols=" + c + "; the file is corrupt, reinstall dataset-fashion-mnist");
            }
            byte[] px = new byte[Math.multiplyExact(n, r * c)];
            readFully(in, px, file);
            return new Images(n, r, c, px);
        }
    }

    public static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 2049) {
                throw new IOException(file + ": magic " + magic + " is not 2049 (IDX labels); pass the *-labels-idx1-ubyte.gz file");
            }
            int n = in.readInt();
            if (n <= 0) {
                throw new IOException(file + ": bad IDX label count " + n + "; the file is corrupt, reinstall dataset-fashion-mnist");
            }
            byte[] raw = new byte[n];
            readFully(in, raw, file);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = raw[i] & 0xff;
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " not found; install it with 'apt-get install -y dataset-fashion-mnist' or pass --data DIR");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
    }

    private static void readFully(DataInputStream in, byte[] buf, Path file) throws IOException {
        try {
            in.readFully(buf);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated (expected " + buf.length + " payload bytes); the file is corrupt, reinstall it", e);
        }
    }
}

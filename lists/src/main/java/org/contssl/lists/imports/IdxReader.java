package org.contssl.lists.imports;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format: big-endian header with magic 2051 for images or 2049 for
 * labels, the dimensions, then raw uint8), gzip-compressed or not. Wrong magic numbers and short bodies are
 * reported as {@link ListFormatException}s naming the file.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;
    private static final String REINSTALL = "reinstall the data (apt-get install --reinstall dataset-fashion-mnist)";

    private IdxReader() {
    }

    /** Reads an images file and its labels file into memory, checking that they describe the same images. */
    public static GrayImages read(Path imagesFile, Path labelsFile) {
        int[] dims = new int[3];
        byte[] pixels = readBody(imagesFile, IMAGES_MAGIC, dims);
        int[] ldims = new int[1];
        byte[] lab = readBody(labelsFile, LABELS_MAGIC, ldims);
        if (ldims[0] != dims[0]) {
            throw ListFormatException.ofFile(Problem.IDX_TRUNCATED, labelsFile,
                    "has " + ldims[0] + " labels but " + imagesFile.getFileName() + " has " + dims[0] + " images",
                    "use the labels file that belongs to these images; " + REINSTALL);
        }
        int[] labels = new int[lab.length];
        for (int i = 0; i < lab.length; i++) {
            labels[i] = lab[i] & 0xff;
        }
        return new GrayImages(dims[0], dims[1], dims[2], pixels, labels);
    }

    /** Reads the header ({@code dims} receives count[, rows, cols]) and the whole body. */
    static byte[] readBody(Path file, int expectedMagic, int[] dims) {
        if (!Files.isRegularFile(file)) {
            throw ListFormatException.ofFile(Problem.MISSING_FILE, file, "IDX file does not exist", REINSTALL);
        }
        try (DataInputStream in = new DataInputStream(open(file))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw ListFormatException.ofFile(Problem.IDX_TRUNCATED, file, "file ends inside the IDX header", REINSTALL);
            }
            if (magic != expectedMagic) {
                throw ListFormatException.ofFile(Problem.IDX_BAD_MAGIC, file,
                        "IDX magic number is " + magic + " (0x" + Integer.toHexString(magic) + "), expected "
                                + expectedMagic + (expectedMagic == IMAGES_MAGIC ? " (images)" : " (labels)"),
                        "check that images and labels files are not swapped; " + REINSTALL);
            }
            int nd = expectedMagic == IMAGES_MAGIC ? 3 : 1;
            long total = 1;
            for (int d = 0; d < nd; d++) {
                try {
                    dims[d] = in.readInt();
                } catch (EOFException e) {
                    throw ListFormatException.ofFile(Problem.IDX_TRUNCATED, file, "file ends inside the IDX header",
                            REINSTALL);
                }
                if (dims[d] < 0) {
                    throw ListFormatException.ofFile(Problem.IDX_BAD_MAGIC, file,
                            "negative IDX dimension " + dims[d], REINSTALL);
                }
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw ListFormatException.ofFile(Problem.IDX_BAD_MAGIC, file,
                        "IDX body of " + total + " bytes is too large", REINSTALL);
            }
            byte[] body = new byte[(int) total];
            int got = in.readNBytes(body, 0, body.length);
            if (got < body.length) {
                throw ListFormatException.ofFile(Problem.IDX_TRUNCATED, file,
                        "IDX body truncated: header promises " + total + " bytes, file holds " + got
                                + (expectedMagic == IMAGES_MAGIC && dims[1] * dims[2] > 0
                                ? " (" + got / (dims[1] * dims[2]) + " of " + dims[0] + " images)" : ""),
                        REINSTALL);
            }
            return body;
        } catch (EOFException e) {
            throw ListFormatException.ofFile(Problem.IDX_TRUNCATED, file,
                    "gzip stream ends early (" + e.getMessage() + ")", REINSTALL);
        } catch (IOException e) {
            throw ListFormatException.ofFile(Problem.IO_ERROR, file, "cannot read IDX file: " + e.getMessage(), REINSTALL);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        return raw;
    }
}

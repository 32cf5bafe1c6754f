package org.contssl.core;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 recorded beside a state file whose format has no checksum of its own (cached features, probe results,
 * metrics CSVs): {@code NAME.sha256} holds {@code HEX BYTES}, the digest of the file's first BYTES bytes when it was
 * committed (docs/failures.md, "Damaged or deleted state files"). Whole files are recorded with their full length;
 * append-only files (the metrics CSVs) are recorded at each commit point, and a later append only lengthens the
 * file, so the recorded prefix still verifies.
 *
 * <p>Crash order: {@link #write} writes the record after the file it describes, both atomically; a crash between them
 * leaves a file without a (current) record, which {@link #verify} reports as {@link Verdict#UNRECORDED}: callers
 * treat that like damage they can recompute, never as trusted. A writer that holds the bytes in memory can record
 * them first ({@link #recordUpcoming}), so a crash between the two leaves no file rather than an unrecorded one.
 */
public final class Sha256Sidecar {

    /** The suffix of the record's file name. */
    public static final String SUFFIX = ".sha256";

    /** What {@link #verify} found. */
    public enum Verdict {
        /** The file's recorded prefix has the recorded digest. */
        OK,
        /** The file does not exist. */
        MISSING,
        /** The file exists but has no (readable) record: written by a crashed writer, or by an older version. */
        UNRECORDED,
        /** The file is shorter than recorded or its bytes differ: changed or damaged after it was committed. */
        MISMATCH
    }

    private Sha256Sidecar() {
    }

    /** The record file of {@code file}. */
    public static Path of(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    /**
     * Writes {@code file} atomically ({@link AtomicFiles#write(Path, AtomicFiles.Body)}) and then its record, the
     * digest computed from the bytes as they were written (no second read).
     */
    public static void write(Path file, AtomicFiles.Body body) {
        MessageDigest digest = sha256();
        long[] length = {0};
        AtomicFiles.write(file, out -> {
            OutputStream tee = new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    digest.update((byte) b);
                    length[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    digest.update(b, off, len);
                    length[0] += len;
                }
            };
            // buffered in front of the digest: DataOutputStream-style bodies write a few bytes at a time
            OutputStream buffered = new BufferedOutputStream(tee, 1 << 16);
            body.writeTo(buffered);
            buffered.flush();
        });
        writeRecord(file, HexFormat.of().formatHex(digest.digest()), length[0]);
    }

    /** Records the current content of an existing {@code file} (an append-only file at a commit point). */
    public static void record(Path file) {
        try {
            long length = Files.size(file);
            writeRecord(file, digest(file, length), length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the sha256 of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records {@code content} as the expected content of {@code file} <em>before</em> it is written. A crash between
     * the two then leaves a record whose file is missing or differs (recomputed, like no file), never a committed
     * file without a record; and for a file about to be cut back to a prefix of itself, a record that holds for the
     * old (longer) file as well as for the new one.
     */
    public static void recordUpcoming(Path file, byte[] content) {
        writeRecord(file, HexFormat.of().formatHex(sha256().digest(content)), content.length);
    }

    /** Compares {@code file} with its record. */
    public static Verdict verify(Path file) {
        if (!Files.isRegularFile(file)) {
            return Verdict.MISSING;
        }
        String[] record;
        try {
            record = Files.readString(of(file), StandardCharsets.US_ASCII).trim().split("\\s+");
        } catch (IOException e) {
            return Verdict.UNRECORDED;
        }
        if (record.length != 2 || record[0].length() != 64) {
            return Verdict.UNRECORDED;
        }
        try {
            long length = Long.parseLong(record[1]);
            if (Files.size(file) < length) {
                return Verdict.MISMATCH;
            }
            return digest(file, length).equalsIgnoreCase(record[0]) ? Verdict.OK : Verdict.MISMATCH;
        } catch (NumberFormatException e) {
            return Verdict.UNRECORDED;
        } catch (IOException e) {
            return Verdict.MISMATCH; // present but unreadable
        }
    }

    /** Deletes the file's record (the file itself is the caller's business). */
    public static void deleteRecord(Path file) {
        try {
            Files.deleteIfExists(of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + of(file) + ": " + e.getMessage(), e);
        }
    }

    private static void writeRecord(Path file, String hex, long length) {
        AtomicFiles.write(of(file), (hex + " " + length + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(Path file, long length) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        long left = length;
        try (InputStream in = Files.newInputStream(file)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException(file + " ended early");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}

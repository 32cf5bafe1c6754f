package org.contssl.lists;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Decodes one fixed-width record (UTF-8, NUL-padded at the end) and checks a decoded path against its base
 * directory. Shared by random access through the mapping ({@link MemmapList}) and block-wise passes through positional
 * reads ({@link ListScan}, {@link ListShuffle}), so every way of reading a list accepts and rejects the same records.
 */
final class RecordCodec {

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[256]);
    private static final ThreadLocal<CharsetDecoder> DECODER = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    private RecordCodec() {
    }

    /**
     * The record of {@code width} bytes at {@code off} in {@code b} (a little-endian buffer), NUL padding dropped and
     * surrounding whitespace stripped as the reference does; {@code file} and {@code i} only name it in errors.
     */
    static String decode(ByteBuffer b, int off, int width, Path file, long i) {
        byte[] buf = SCRATCH.get();
        if (buf.length < width) {
            buf = new byte[width];
            SCRATCH.set(buf);
        }
        // Find the first NUL eight bytes at a time (SWAR, little-endian words), then check that only NULs follow.
        int len = -1;
        int k = 0;
        for (; k + 8 <= width; k += 8) {
            long v = b.getLong(off + k);
            long zero = (v - 0x0101010101010101L) & ~v & 0x8080808080808080L;
            if (zero != 0) {
                len = k + (Long.numberOfTrailingZeros(zero) >>> 3);
                break;
            }
        }
        if (len < 0) {
            len = k;
            while (len < width && b.get(off + len) != 0) {
                len++;
            }
        }
        int j = len + 1;
        while (j < width && ((j & 7) != 0 || j + 8 > width)) {
            if (b.get(off + j) != 0) {
                throw interiorNul(file, i, len);
            }
            j++;
        }
        for (; j + 8 <= width; j += 8) {
            if (b.getLong(off + j) != 0) {
                throw interiorNul(file, i, len);
            }
        }
        for (; j < width; j++) {
            if (b.get(off + j) != 0) {
                throw interiorNul(file, i, len);
            }
        }
        b.get(off, buf, 0, len);
        boolean ascii = true;
        for (int q = 0; q < len; q++) {
            if (buf[q] < 0) {
                ascii = false;
                break;
            }
        }
        String s;
        if (ascii) {
            s = new String(buf, 0, len, StandardCharsets.ISO_8859_1);
        } else {
            try {
                CharBuffer cb = DECODER.get().reset().decode(ByteBuffer.wrap(buf, 0, len));
                s = cb.toString();
            } catch (CharacterCodingException e) {
                throw new ListFormatException(ListFormatException.Problem.INVALID_UTF8, file, i,
                        "record is not valid UTF-8 (" + e.getMessage() + ")",
                        "fix or rebuild the list; paths must be UTF-8");
            }
        }
        if (!s.isEmpty() && (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1)))) {
            s = s.strip();
        }
        if (s.isEmpty()) {
            throw new ListFormatException(ListFormatException.Problem.EMPTY_RECORD, file, i,
                    "record is empty (all NUL or whitespace)",
                    "check --count (the file may hold fewer written records) or rebuild the list");
        }
        return s;
    }

    /** Checks lexically that {@code path} (record {@code i}, after the rewrite) stays inside {@code baseDir}. */
    static void checkInside(String path, Path baseDir, Path file, long i) {
        if (!PathChecks.insideBase(path, baseDir)) {
            throw escapes(path, baseDir, file, i);
        }
    }

    static ListFormatException escapes(String path, Path baseDir, Path file, long i) {
        return new ListFormatException(ListFormatException.Problem.PATH_ESCAPES_BASE, file, i,
                "path '" + path + "' escapes the base directory " + baseDir,
                "paths must stay inside data.base_dir; fix the list or choose the right base directory");
    }

    private static ListFormatException interiorNul(Path file, long i, int at) {
        return new ListFormatException(ListFormatException.Problem.NUL_IN_PATH, file, i,
                "NUL byte at offset " + at + " inside the path (records are NUL-padded at the end only)",
                "check --record-width (this file may use another width) or rebuild the list");
    }
}

package org.contssl.model.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Emits pickle protocol 2 opcodes, the protocol {@code torch.save} uses by default. Only what a checkpoint of
 * tensors needs: dicts, tuples, ints, strings, booleans, None, globals, REDUCE and persistent ids. No memo is used;
 * Python's unpickler does not require one.
 */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter() {
        out.write(0x80);
        out.write(2);
    }

    PickleWriter emptyDict() {
        out.write('}');
        return this;
    }

    PickleWriter emptyTuple() {
        out.write(')');
        return this;
    }

    PickleWriter mark() {
        out.write('(');
        return this;
    }

    /** Builds a tuple of everything pushed since the last {@link #mark()}. */
    PickleWriter tuple() {
        out.write('t');
        return this;
    }

    /** Adds the key/value pairs pushed since the last {@link #mark()} to the dict below them. */
    PickleWriter setItems() {
        out.write('u');
        return this;
    }

    PickleWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        le32(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    PickleWriter integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            le32((int) v);
        } else {
            out.write(0x8a); // LONG1: 8 bytes of little-endian two's complement
            out.write(8);
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }
        return this;
    }

    PickleWriter bool(boolean b) {
        out.write(b ? 0x88 : 0x89);
        return this;
    }

    PickleWriter global(String module, String name) {
        out.write('c');
        byte[] b = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
        return this;
    }

    /** Calls the callable below the argument tuple on top. */
    PickleWriter reduce() {
        out.write('R');
        return this;
    }

    /** Replaces the tuple on top by what the loader's {@code persistent_load} makes of it. */
    PickleWriter persistentId() {
        out.write('Q');
        return this;
    }

    /** {@code collections.OrderedDict()} (state_dicts are OrderedDicts). */
    PickleWriter orderedDict() {
        return global("collections", "OrderedDict").emptyTuple().reduce();
    }

    byte[] finish() {
        out.write('.');
        return out.toByteArray();
    }

    private void le32(int v) {
        for (int i = 0; i < 4; i++) {
            out.write((v >>> (8 * i)) & 0xff);
        }
    }
}

package org.contssl.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The redo journal {@code replay.journal}: every multi-record update of the map is first written here complete, then
 * applied. Layout (little-endian): magic, update number, record count, then per record key (long), op (1 = put,
 * 0 = remove) and for a put the value; then a CRC32C of everything before it and an end mark. A log is used only if
 * all of it is there and the checksum matches; a longer file left by an earlier, larger update is ignored past it.
 */
final class RedoJournal implements AutoCloseable {
    private static final long MAGIC = 0x43535352454430L;
    private static final int END = 0x454E4421;
    private static final int HEAD = 20;

    private final FileChannel channel;
    private final int valueSize;
    /** Reused between updates: keeps the size of the largest one. */
    private byte[] buf = new byte[1 << 16];
    private int len = HEAD;
    private int count;

    /** What a log holds, one record at a time. */
    interface Visitor {
        /** A put of {@code valueSize} bytes at {@code log[at]}. */
        void put(long key, byte[] log, int at);

        void remove(long key);
    }

    RedoJournal(Path file, int valueSize) throws IOException {
        this.valueSize = valueSize;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** Starts a new log. */
    void begin() {
        len = HEAD;
        count = 0;
        if (buf.length > (64 << 20)) {
            buf = new byte[1 << 16]; // after a whole-buffer restore: do not keep hundreds of MB around
        }
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    void put(long key, byte[] value) {
        ensure(9 + valueSize);
        MapRecords.le(buf).putLong(len, key);
        buf[len + 8] = 1;
        System.arraycopy(value, 0, buf, len + 9, valueSize);
        len += 9 + valueSize;
        count++;
    }

    void remove(long key) {
        ensure(9);
        MapRecords.le(buf).putLong(len, key);
        buf[len + 8] = 0;
        len += 9;
        count++;
    }

    /** Seals the log as update number {@code update}, writes it to the file and returns it (valid until begin). */
    byte[] commit(long update) throws IOException {
        ensure(8);
        ByteBuffer b = MapRecords.le(buf);
        b.putLong(0, MAGIC);
        b.putLong(8, update);
        b.putInt(16, count);
        CRC32C c = new CRC32C();
        c.update(buf, 0, len);
        b.putInt(len, (int) c.getValue());
        b.putInt(len + 4, END);
        channel.write(ByteBuffer.wrap(buf, 0, len + 8), 0);
        return buf;
    }

    /** The log in the file if complete and intact, else null. */
    byte[] readComplete() throws IOException {
        long size = channel.size();
        if (size < HEAD + 8 || size > Integer.MAX_VALUE) {
            return null;
        }
        ByteBuffer head = ByteBuffer.allocate(HEAD).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(head, 0);
        if (head.getLong(0) != MAGIC) {
            return null;
        }
        int n = head.getInt(16);
        ByteBuffer all = ByteBuffer.allocate((int) size);
        channel.read(all, 0);
        byte[] log = all.array();
        int at = HEAD;
        for (int i = 0; i < n; i++) {
            if (at + 9 > size) {
                return null;
            }
            at += 9 + (log[at + 8] == 1 ? valueSize : 0);
        }
        if (at + 8 > size) {
            return null;
        }
        CRC32C c = new CRC32C();
        c.update(log, 0, at);
        ByteBuffer t = MapRecords.le(log);
        if (t.getInt(at) != (int) c.getValue() || t.getInt(at + 4) != END) {
            return null;
        }
        return Arrays.copyOf(log, at + 8);
    }

    /** The update number of a sealed log. */
    static long update(byte[] log) {
        return MapRecords.le(log).getLong(8);
    }

    /** Walks a sealed log's records in order. */
    void forEach(byte[] log, Visitor v) {
        ByteBuffer b = MapRecords.le(log);
        int n = b.getInt(16);
        int at = HEAD;
        for (int i = 0; i < n; i++) {
            long key = b.getLong(at);
            byte op = log[at + 8];
            at += 9;
            if (op == 1) {
                v.put(key, log, at);
                at += valueSize;
            } else {
                v.remove(key);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

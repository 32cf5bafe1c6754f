package org.contssl.lists;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One pass over a list's records in index order — all of them, or every {@code k}-th — read in blocks of about
 * 1 MiB with positional reads rather than through {@link MemmapList}'s mapping. Pages touched through a mapping stay
 * in the process's resident set until it is unmapped, which Java 17 cannot do eagerly: a pass over a 60 GB list
 * through the mapping shows as 60 GB resident, while this pass keeps one block, whatever the list's length (the data
 * still goes through the OS page cache, which the kernel sizes and evicts itself). Records decode exactly as
 * {@link MemmapList#recordAt} does.
 *
 * <pre>{@code
 * try (ListScan s = ListScan.of(list)) {
 *     while (s.next()) {
 *         use(s.index(), s.checkedPath());
 *     }
 * }
 * }</pre>
 */
public final class ListScan implements AutoCloseable {

    static final int BLOCK_BYTES = 1 << 20;

    private final MemmapList list;
    private final long stride;
    private final int width;
    private final long n;
    private final int blockRecords;
    private final FileChannel data;
    private final FileChannel labels;
    private final ByteBuffer block;
    private final ByteBuffer labelBlock;
    private long blockFirst;
    private int blockLen;
    private long current = -1;

    private ListScan(MemmapList list, long stride) {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be at least 1: " + stride);
        }
        this.list = list;
        this.stride = stride;
        this.width = list.recordWidth();
        this.n = list.size();
        // A stride longer than a block would read mostly skipped records: read the kept ones one at a time instead.
        int perBlock = Math.max(1, BLOCK_BYTES / width);
        this.blockRecords = stride >= perBlock ? 1 : perBlock;
        this.block = ByteBuffer.allocateDirect(blockRecords * width).order(ByteOrder.LITTLE_ENDIAN);
        this.labelBlock = list.hasLabels()
                ? ByteBuffer.allocateDirect(blockRecords * 4).order(ByteOrder.LITTLE_ENDIAN) : null;
        FileChannel d = null;
        try {
            d = FileChannel.open(list.dataFile(), StandardOpenOption.READ);
            this.labels = list.hasLabels() ? FileChannel.open(list.labelsFile(), StandardOpenOption.READ) : null;
        } catch (IOException e) {
            closeQuietly(d);
            throw ioError(list.dataFile(), e);
        }
        this.data = d;
    }

    /** Every record of {@code list}, in index order. */
    public static ListScan of(MemmapList list) {
        return new ListScan(list, 1);
    }

    /** Records {@code 0, k, 2k, ...} of {@code list}. */
    public static ListScan every(MemmapList list, long k) {
        return new ListScan(list, k);
    }

    /** Moves to the next record; false (and the scan stays at the end) when there is none. */
    public boolean next() {
        long i = current < 0 ? 0 : current + stride;
        if (i >= n || i < 0) {
            current = n;
            return false;
        }
        current = i;
        if (i < blockFirst || i >= blockFirst + blockLen) {
            fill(i);
        }
        return true;
    }

    /** Index of the current record in the list. */
    public long index() {
        return current;
    }

    /** The current record as {@link MemmapList#recordAt} returns it. */
    public String record() {
        return RecordCodec.decode(block, offset(), width, list.dataFile(), current);
    }

    /** The current record after the list's path rewrite, as {@link MemmapList#pathAt}. */
    public String path() {
        return list.rewrite().apply(record());
    }

    /** {@link #path()}, checked lexically to stay inside the base directory as {@link MemmapList#checkRecord}. */
    public String checkedPath() {
        String p = path();
        RecordCodec.checkInside(p, list.baseDir(), list.dataFile(), current);
        return p;
    }

    public int label() {
        if (labelBlock == null) {
            throw new IllegalStateException("list " + list.dataFile() + " has no labels file");
        }
        return labelBlock.getInt((int) (current - blockFirst) * 4);
    }

    /** The block holding the current record's raw bytes (little-endian, do not modify), at {@link #offset()}. */
    ByteBuffer block() {
        return block;
    }

    int offset() {
        return (int) (current - blockFirst) * width;
    }

    private void fill(long first) {
        int len = (int) Math.min(blockRecords, n - first);
        try {
            readFully(data, block, first * width, len * width);
            if (labels != null) {
                readFully(labels, labelBlock, first * 4, len * 4);
            }
        } catch (IOException e) {
            throw ioError(list.dataFile(), e);
        }
        blockFirst = first;
        blockLen = len;
    }

    /** Reads {@code len} bytes at {@code pos} into {@code buf} from its start. */
    static void readFully(FileChannel ch, ByteBuffer buf, long pos, int len) throws IOException {
        buf.clear().limit(len);
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new IOException("file ends before byte " + (pos + len) + " (was it truncated during the run?)");
            }
        }
        buf.clear();
    }

    static ListFormatException ioError(Path file, IOException e) {
        return ListFormatException.ofFile(ListFormatException.Problem.IO_ERROR, file,
                "cannot read the list: " + e.getMessage(), "check the file and its permissions");
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(data);
        closeQuietly(labels);
    }
}

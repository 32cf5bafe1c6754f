package org.contssl.lists;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a list's records in a {@link FeistelPermutation}'s order — position {@code p} of the result holds source
 * record {@code sigma.apply(p)} — in memory bounded independently of the list's length, with sequential I/O only.
 *
 * <p>Reading the source in permuted order would be random access: through the mapping every touched page stays
 * resident (the whole list, in the end), and once the list outgrows the page cache every record costs a disk seek.
 * Instead the records are moved in two sequential passes over a scratch file of the list's size (see
 * {@code docs/large-lists.md}):
 * <ol>
 *   <li>scatter: read the source front to back (validating every record); record {@code i} goes to output position
 *       {@code q = sigma.inverse(i)}, i.e. to bucket {@code q / B} of the scratch file, tagged with its slot
 *       {@code q % B}. Each bucket owns a fixed region (it receives exactly {@code B} records, the last one fewer),
 *       filled through a small per-bucket buffer;</li>
 *   <li>gather: read one bucket at a time (about 32 MiB), put its records in slot order, append them to the
 *       writer.</li>
 * </ol>
 * The result depends on the permutation only, never on the bucket size, which is a pure memory/speed knob.
 */
public final class ListShuffle {

    /** Target size of one bucket, held in memory while it is gathered. */
    static final long BUCKET_BYTES = 32L << 20;
    /** Total size of the scatter buffers, and the largest one per bucket. */
    static final long SCATTER_BYTES = 64L << 20;
    static final int MAX_BUFFER_BYTES = 64 << 10;
    /** Keeps the per-bucket bookkeeping small for lists beyond any realistic size. */
    static final int MAX_BUCKETS = 1 << 16;

    private ListShuffle() {
    }

    /**
     * Appends every record of {@code src} to {@code out} in the order of {@code sigma} (labels too, when both have
     * them), counting labels into {@code counts} if given. {@code scratch} is created, used and deleted.
     */
    public static void write(MemmapList src, FeistelPermutation sigma, MemmapListWriter out,
                             StreamDiagnostics.QuarterCounts counts, Path scratch) {
        write(src, sigma, out, counts, scratch, BUCKET_BYTES);
    }

    static void write(MemmapList src, FeistelPermutation sigma, MemmapListWriter out,
                      StreamDiagnostics.QuarterCounts counts, Path scratch, long bucketBytes) {
        long n = src.size();
        if (sigma.size() != n) {
            throw new IllegalArgumentException("permutation of " + sigma.size() + " for a list of " + n + " records");
        }
        int w = src.recordWidth();
        boolean labelled = src.hasLabels();
        int entry = 4 + w + (labelled ? 4 : 0);
        long perBucket = Math.max(1, bucketBytes / entry);
        if ((n + perBucket - 1) / perBucket > MAX_BUCKETS) {
            perBucket = (n + MAX_BUCKETS - 1) / MAX_BUCKETS;
        }
        Layout lay = new Layout(n, perBucket, entry);
        try {
            Files.deleteIfExists(scratch);
            checkSpace(src, scratch, n * entry);
            try (FileChannel ch = FileChannel.open(scratch, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                scatter(src, sigma, lay, ch);
                gather(src, lay, ch, out, counts);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot shuffle " + src.dataFile() + " through " + scratch + ": "
                    + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException ignored) {
                // a leftover scratch file is deleted by the next run before it starts
            }
        }
    }

    /** Bucket geometry: bucket {@code b} holds output positions {@code [b*perBucket, ...)}, at byte {@code b*perBucket*entry}. */
    private record Layout(long n, long perBucket, int entry) {
        int buckets() {
            return (int) ((n + perBucket - 1) / perBucket);
        }

        long bucketSize(int b) {
            return Math.min(perBucket, n - b * perBucket);
        }
    }

    private static void scatter(MemmapList src, FeistelPermutation sigma, Layout lay, FileChannel ch)
            throws IOException {
        int w = src.recordWidth();
        int entry = lay.entry();
        int nb = lay.buckets();
        long per = lay.perBucket();
        long fair = Math.min(MAX_BUFFER_BYTES / entry, SCATTER_BYTES / ((long) nb * entry));
        int bufEntries = (int) Math.max(1, Math.min(fair, per));
        int bufBytes = bufEntries * entry;
        ByteBuffer slab = ByteBuffer.allocateDirect(Math.toIntExact((long) nb * bufBytes))
                .order(ByteOrder.LITTLE_ENDIAN);
        int[] buffered = new int[nb];
        long[] flushed = new long[nb];
        try (ListScan scan = ListScan.of(src)) {
            while (scan.next()) {
                scan.checkedPath(); // a bad record stops the shuffle before anything final is written
                long q = sigma.inverse(scan.index());
                int b = (int) (q / per);
                int at = b * bufBytes + buffered[b] * entry;
                slab.putInt(at, (int) (q - b * per));
                slab.put(at + 4, scan.block(), scan.offset(), w);
                if (src.hasLabels()) {
                    slab.putInt(at + 4 + w, scan.label());
                }
                if (++buffered[b] == bufEntries) {
                    flush(ch, slab, b, bufBytes, buffered, flushed, lay);
                }
            }
        }
        for (int b = 0; b < nb; b++) {
            flush(ch, slab, b, bufBytes, buffered, flushed, lay);
            if (flushed[b] != lay.bucketSize(b)) {
                throw new IllegalStateException("bucket " + b + " received " + flushed[b] + " records, expected "
                        + lay.bucketSize(b) + " (the permutation is not a bijection)");
            }
        }
    }

    private static void flush(FileChannel ch, ByteBuffer slab, int b, int bufBytes, int[] buffered, long[] flushed,
                              Layout lay) throws IOException {
        if (buffered[b] == 0) {
            return;
        }
        ByteBuffer part = slab.slice(b * bufBytes, buffered[b] * lay.entry());
        long pos = (b * lay.perBucket() + flushed[b]) * lay.entry();
        while (part.hasRemaining()) {
            pos += ch.write(part, pos);
        }
        flushed[b] += buffered[b];
        buffered[b] = 0;
    }

    private static void gather(MemmapList src, Layout lay, FileChannel ch, MemmapListWriter out,
                               StreamDiagnostics.QuarterCounts counts) throws IOException {
        int w = src.recordWidth();
        int entry = lay.entry();
        boolean labelled = src.hasLabels();
        ByteBuffer bucket = ByteBuffer.allocateDirect(Math.toIntExact(lay.perBucket() * entry))
                .order(ByteOrder.LITTLE_ENDIAN);
        int[] bySlot = new int[(int) lay.perBucket()];
        long pos = 0;
        for (int b = 0; b < lay.buckets(); b++) {
            int size = (int) lay.bucketSize(b);
            ListScan.readFully(ch, bucket, b * lay.perBucket() * entry, size * entry);
            for (int e = 0; e < size; e++) {
                bySlot[bucket.getInt(e * entry)] = e;
            }
            for (int s = 0; s < size; s++, pos++) {
                int off = bySlot[s] * entry;
                // every record was validated while scattering, so no error can name a record here
                String rec = RecordCodec.decode(bucket, off + 4, w, src.dataFile(), -1);
                if (labelled) {
                    int label = bucket.getInt(off + 4 + w);
                    out.add(rec, label);
                    if (counts != null) {
                        counts.add(pos, label);
                    }
                } else {
                    out.add(rec);
                }
            }
        }
    }

    /** The scratch file and the result each need about the list's size: say so before hours of work, not after. */
    private static void checkSpace(MemmapList src, Path scratch, long scratchBytes) throws IOException {
        Path dir = scratch.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        long need = scratchBytes + src.size() * src.recordWidth();
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < need) {
            throw ListFormatException.ofFile(ListFormatException.Problem.IO_ERROR, dir,
                    "shuffling " + src.size() + " records needs " + need / (1 << 20) + " MiB free here (a scratch"
                            + " file and the shuffled list), only " + free / (1 << 20) + " MiB are",
                    "free disk space in the workdir, or use data.stream=ordered");
        }
    }
}

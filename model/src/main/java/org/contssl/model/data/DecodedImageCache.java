package org.contssl.model.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Least-recently-used decoded images bounded by their total size in bytes. Replay buffers present each image R
 * times; keeping the decoded bytes skips the file read and the decode on repeats. Failures are never cached, so a
 * file that is fixed on disk is picked up again. Thread-safe (one lock; entries are immutable).
 */
public final class DecodedImageCache {

    private final long capacityBytes;
    private final LinkedHashMap<Path, DecodedImage> map = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    public DecodedImageCache(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("cache capacity must be positive, got " + capacityBytes + " bytes");
        }
        this.capacityBytes = capacityBytes;
    }

    public synchronized DecodedImage get(Path file) {
        DecodedImage d = map.get(file);
        if (d == null) {
            misses++;
        } else {
            hits++;
        }
        return d;
    }

    public synchronized void put(Path file, DecodedImage img) {
        long size = img.sizeInBytes();
        if (size > capacityBytes) {
            return;
        }
        DecodedImage old = map.put(file, img);
        if (old != null) {
            bytes -= old.sizeInBytes();
        }
        bytes += size;
        var it = map.entrySet().iterator();
        while (bytes > capacityBytes && it.hasNext()) {
            Map.Entry<Path, DecodedImage> e = it.next();
            bytes -= e.getValue().sizeInBytes();
            it.remove();
        }
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int entries() {
        return map.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public long capacityBytes() {
        return capacityBytes;
    }
}

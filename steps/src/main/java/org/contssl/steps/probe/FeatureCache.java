package org.contssl.steps.probe;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.contssl.core.AtomicFiles;
import org.contssl.core.Sha256Sidecar;
import org.contssl.model.probe.FeatureMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frozen features of one (encoder, dataset) pair, extracted once and kept on disk: a rerun of a probe (other
 * probe settings, a restart after a crash) never pays the extraction twice. Written through {@link AtomicFiles}, so
 * a crash leaves the old cache, the new one or none, never a partial one; its SHA-256 is recorded beside it
 * ({@link Sha256Sidecar}) and a cache that does not match is extracted again (docs/failures.md).
 */
final class FeatureCache {

    private static final Logger log = LoggerFactory.getLogger(FeatureCache.class);

    private static final int MAGIC = 0x43534646; // "CSFF"

    private FeatureCache() {
    }

    /** Throws UncheckedIOException when the file cannot be written. */
    static void write(Path file, FeatureMatrix train, FeatureMatrix test) {
        Sha256Sidecar.write(file, sink -> {
            // AtomicFiles buffers and flushes the stream itself; DataOutputStream only adds the big-endian encoding
            DataOutputStream out = new DataOutputStream(sink);
            out.writeInt(MAGIC);
            writeMatrix(out, train);
            writeMatrix(out, test);
            out.flush();
        });
    }

    /** Both splits, or empty when the file is absent or unreadable (then the features are extracted again). */
    static Optional<FeatureMatrix[]> read(Path file) {
        Sha256Sidecar.Verdict verdict = Sha256Sidecar.verify(file);
        if (verdict == Sha256Sidecar.Verdict.MISSING) {
            return Optional.empty();
        }
        if (verdict != Sha256Sidecar.Verdict.OK) {
            // bit rot or an edit would otherwise give silently wrong accuracies: the extraction is only time
            log.warn("cached features {} {}: extracting them again", file,
                    verdict == Sha256Sidecar.Verdict.MISMATCH ? "do not match their recorded sha256"
                            : "have no recorded sha256");
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                return Optional.empty();
            }
            return Optional.of(new FeatureMatrix[] {readMatrix(in), readMatrix(in)});
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void writeMatrix(DataOutputStream out, FeatureMatrix m) throws IOException {
        out.writeInt(m.rows());
        out.writeInt(m.dim());
        out.writeInt(m.numClasses());
        for (float v : m.values()) {
            out.writeFloat(v);
        }
        for (int label : m.labels()) {
            out.writeInt(label);
        }
    }

    private static FeatureMatrix readMatrix(DataInputStream in) throws IOException {
        int rows = in.readInt();
        int dim = in.readInt();
        int classes = in.readInt();
        float[] values = new float[Math.multiplyExact(rows, dim)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = in.readInt();
        }
        return new FeatureMatrix(values, rows, dim, labels, classes);
    }
}

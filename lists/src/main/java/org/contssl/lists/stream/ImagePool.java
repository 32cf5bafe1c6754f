package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.List;
import org.contssl.lists.imports.PngExporter;
import org.contssl.lists.imports.Raster8;

/**
 * The images a stream or probe is drawn from, by index: where each one's file is (relative to {@link #baseDir()}),
 * its label, and its pixels. In-memory datasets (Fashion-MNIST, MNIST) export only the files a plan needs
 * ({@link #materialize}); a folder's files exist already.
 */
interface ImagePool {

    /** Short identifier used in sidecars and seed purposes, e.g. "fashion-mnist/train" or "folder:/photos". */
    String id();

    int size();

    int label(int i);

    String relPath(int i);

    Path baseDir();

    int numClasses();

    List<String> classNames();

    /** Pixels of image {@code i}; may decode a file (thread-safe). */
    Raster8 pixels(int i);

    /** Whether {@link #pixels} is a cheap in-memory copy (then pixel diagnostics are computed for every stream). */
    boolean pixelsInMemory();

    /** Makes sure the files of these images exist under {@link #baseDir()}. */
    PngExporter.Stats materialize(int[] indices, int threads);
}

package org.contssl.lists.stream;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import org.contssl.lists.imports.GrayImages;
import org.contssl.lists.imports.PngExporter;
import org.contssl.lists.imports.Raster8;

/** An in-memory grey dataset (Fashion-MNIST split, MNIST) whose images are exported to PNG on demand. */
final class GrayPool implements ImagePool {

    private final String id;
    private final GrayImages images;
    private final IntFunction<String> relPath;
    private final Path baseDir;
    private final List<String> classNames;

    GrayPool(String id, GrayImages images, IntFunction<String> relPath, Path baseDir, List<String> classNames) {
        this.id = id;
        this.images = images;
        this.relPath = relPath;
        this.baseDir = baseDir;
        this.classNames = classNames;
    }

    @Override public String id() { return id; }
    @Override public int size() { return images.count(); }
    @Override public int label(int i) { return images.labels()[i]; }
    @Override public String relPath(int i) { return relPath.apply(i); }
    @Override public Path baseDir() { return baseDir; }
    @Override public int numClasses() { return classNames.size(); }
    @Override public List<String> classNames() { return classNames; }
    @Override public Raster8 pixels(int i) { return images.image(i); }
    @Override public boolean pixelsInMemory() { return true; }

    @Override
    public PngExporter.Stats materialize(int[] indices, int threads) {
        return PngExporter.export(indices, images::image, relPath, baseDir, threads);
    }
}

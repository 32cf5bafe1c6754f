package org.contssl.lists.stream;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.MemmapList;
import org.contssl.lists.imports.ImageFiles;
import org.contssl.lists.imports.PngExporter;
import org.contssl.lists.imports.Raster8;

/** Images already on disk, listed by a labelled catalog list (a scanned folder). */
final class CatalogPool implements ImagePool {

    private final String id;
    private final MemmapList catalog;
    private final List<String> classNames;

    CatalogPool(String id, MemmapList catalog) {
        if (catalog.size() > Integer.MAX_VALUE - 8) {
            throw ListFormatException.ofFile(ListFormatException.Problem.BAD_OPTION, catalog.dataFile(),
                    "catalog of " + catalog.size() + " images is too large to shuffle in memory",
                    "split the folder into parts of under 2 billion images");
        }
        this.id = id;
        this.catalog = catalog;
        List<String> names = catalog.metadata().classNames();
        this.classNames = names == null ? List.of() : names;
    }

    MemmapList catalog() {
        return catalog;
    }

    @Override public String id() { return id; }
    @Override public int size() { return (int) catalog.size(); }
    @Override public int label(int i) { return catalog.hasLabels() ? catalog.labelAt(i) : -1; }
    @Override public String relPath(int i) { return catalog.recordAt(i); }
    @Override public Path baseDir() { return catalog.baseDir(); }
    @Override public int numClasses() { return classNames.size(); }
    @Override public List<String> classNames() { return classNames; }
    @Override public boolean pixelsInMemory() { return false; }

    @Override
    public Raster8 pixels(int i) {
        Path f = catalog.resolve(i);
        try {
            return ImageFiles.decode(f);
        } catch (IOException e) {
            throw new ListFormatException(ListFormatException.Problem.IO_ERROR, catalog.dataFile(), i,
                    "cannot decode image " + f + " (" + e.getMessage() + ")",
                    "remove or replace the broken image and rebuild the list");
        }
    }

    @Override
    public PngExporter.Stats materialize(int[] indices, int threads) {
        return new PngExporter.Stats(0, indices.length, 0, 0);
    }
}

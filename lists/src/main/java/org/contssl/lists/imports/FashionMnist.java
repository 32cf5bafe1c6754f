package org.contssl.lists.imports;

import java.nio.file.Path;
import java.util.List;
import org.contssl.lists.ListFormatException;

/** Fashion-MNIST as shipped by Debian's {@code dataset-fashion-mnist}: gzip'd IDX files, 60k train + 10k test. */
public final class FashionMnist {

    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String TRAIN = "train";
    public static final String TEST = "t10k";
    public static final String EXPORT_DIR = "fashion-mnist";

    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Folder names sort in label order, so a folder import of the export yields the same label ids. */
    public static final List<String> CLASS_FOLDERS = List.of("0-tshirt-top", "1-trouser", "2-pullover", "3-dress",
            "4-coat", "5-sandal", "6-shirt", "7-sneaker", "8-bag", "9-ankle-boot");

    private FashionMnist() {
    }

    /** Reads one split ({@link #TRAIN} or {@link #TEST}) from {@code dir}. */
    public static GrayImages load(Path dir, String split) {
        if (!TRAIN.equals(split) && !TEST.equals(split)) {
            throw new ListFormatException(ListFormatException.Problem.BAD_OPTION, dir, -1,
                    "unknown Fashion-MNIST split '" + split + "'", "use train or t10k");
        }
        GrayImages g = IdxReader.read(dir.resolve(split + "-images-idx3-ubyte.gz"),
                dir.resolve(split + "-labels-idx1-ubyte.gz"));
        for (int i = 0; i < g.count(); i++) {
            if (g.labels()[i] > 9) {
                throw new ListFormatException(ListFormatException.Problem.IDX_BAD_MAGIC,
                        dir.resolve(split + "-labels-idx1-ubyte.gz"), i, "label " + g.labels()[i] + " is not in 0..9",
                        "reinstall the data (apt-get install --reinstall dataset-fashion-mnist)");
            }
        }
        return g;
    }

    /** Where image {@code index} of {@code split} is exported, relative to the data directory. */
    public static String relPath(String split, int label, int index) {
        return EXPORT_DIR + "/" + split + "/" + CLASS_FOLDERS.get(label) + "/" + String.format("%05d.png", index);
    }

    /** One line telling a user how to get the files, for error messages. */
    public static String installHint(Path dir) {
        return "install Fashion-MNIST with 'apt-get install -y dataset-fashion-mnist' (expected under " + dir + ")";
    }
}

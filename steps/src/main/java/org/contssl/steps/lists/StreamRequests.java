package org.contssl.steps.lists;

import java.nio.file.Path;
import org.contssl.lists.PathRewrite;
import org.contssl.lists.stream.StreamRequest;
import org.contssl.steps.config.RunConfig;
import org.contssl.steps.workdir.Workdir;

/** Maps the {@code data.*} configuration onto the lists module's stream request. */
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
                .threads(Math.max(1, Runtime.getRuntime().availableProcessors()));
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

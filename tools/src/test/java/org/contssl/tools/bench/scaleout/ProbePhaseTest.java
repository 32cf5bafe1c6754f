package org.contssl.tools.bench.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.tools.bench.scaleout.ProbePhase.Partition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbePhaseTest {

    @Test
    void pickupCountsFromCreationOrFromTheWorkersPreviousPartitionAndSkipsTheManagersOwn() {
        ProbePhase phase = new ProbePhase(10_000, List.of(
                new Partition("probePartition:a", 1_000, 1_300, 4_000),
                new Partition("probePartition:b", 1_000, 4_200, 7_000), // queued behind a on worker 0: 200 ms
                new Partition("probePartition:c", 1_000, 1_700, 5_000), // worker 1: 700 ms
                new Partition("probePartition:d", 1_000, 4_000, 6_000))); // the manager's own: not counted
        Map<String, List<String>> ran = new LinkedHashMap<>();
        ran.put("w0", List.of("probePartition:b", "probePartition:a"));
        ran.put("w1", List.of("probePartition:c"));
        assertThat(phase.pickupMillis(ran)).containsExactly(300L, 200L, 700L);
        assertThat(phase.meanPickupMillis(ran)).isEqualTo(400.0);
        assertThat(phase.partitionMillis()).isEqualTo(2_700 + 2_800 + 3_300 + 2_000);
        assertThat(phase.meanPickupMillis(Map.of())).isNaN();
    }

    @Test
    void workerLogsNameThePartitionsTheyRan(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("w.log");
        Files.writeString(log, "worker h:1 running (1 thread(s)); Ctrl-C stops it\n"
                + "12:00:01 INFO worker h:1: running probePartition:ckpt-0.5/imnet (probePartition)\n"
                + "12:00:09 INFO worker h:1: probePartition:ckpt-0.5/imnet COMPLETED\n"
                + "12:00:10 INFO worker h:1: running probePartition:ckpt-1.0/imnet (probePartition)\n");
        assertThat(ScaleoutBenchmark.ranBy(log))
                .containsExactly("probePartition:ckpt-0.5/imnet", "probePartition:ckpt-1.0/imnet");
    }
}

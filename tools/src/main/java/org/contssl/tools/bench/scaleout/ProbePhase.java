package org.contssl.tools.bench.scaleout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The probe phase of one measured run, from its step executions: the manager's {@code probe} step and its
 * {@code probePartition:*} steps, with the names of the partitions each worker process ran (from the workers' logs).
 *
 * <p>The transport's overhead per partition is the time a worker slot that was free did not spend running the
 * partition it was handed: from the moment the request could be taken (the partition's creation, or the end of the
 * worker's previous partition, whichever is later) to the partition's start. That covers the worker's polling of
 * the channel table, the claim, reading the step execution back and building the step's context. Partitions the
 * manager ran itself (no worker had a free slot) are not counted.
 *
 * @param probeMillis wall time of the manager's probe step
 * @param partitions every partition step of the phase
 */
public record ProbePhase(long probeMillis, List<Partition> partitions) {

    /** One partition step execution; times in epoch milliseconds, as the repository holds them. */
    public record Partition(String name, long created, long started, long ended) {
        long runMillis() {
            return ended - started;
        }
    }

    public ProbePhase {
        partitions = List.copyOf(partitions);
    }

    /** Sum of the partitions' own run times, wherever they ran. */
    public long partitionMillis() {
        return partitions.stream().mapToLong(Partition::runMillis).sum();
    }

    /**
     * Pick-up delays of the partitions the workers ran, in milliseconds, worker by worker in start order.
     *
     * @param ranByWorker partition names each worker ran (one single-threaded worker per entry)
     */
    public List<Long> pickupMillis(Map<String, List<String>> ranByWorker) {
        List<Long> out = new ArrayList<>();
        for (List<String> names : ranByWorker.values()) {
            List<Partition> mine = partitions.stream().filter(p -> names.contains(p.name()))
                    .sorted(Comparator.comparingLong(Partition::started)).toList();
            long previousEnd = Long.MIN_VALUE;
            for (Partition p : mine) {
                out.add(p.started() - Math.max(p.created(), previousEnd));
                previousEnd = p.ended();
            }
        }
        return out;
    }

    /** Mean of {@link #pickupMillis}, or NaN when workers ran no partition. */
    public double meanPickupMillis(Map<String, List<String>> ranByWorker) {
        return pickupMillis(ranByWorker).stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
    }
}

package org.contssl.steps.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.contssl.steps.config.RunConfig;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per (encoder, dataset), named after it so a restart finds the same partitions and re-runs only
 * those that did not complete.
 */
public class ProbePartitioner implements Partitioner {

    public static final String TARGET = "probe.target";
    private final RunConfig config;
    private final Path planFile;
    private final Path checkpointsDir;

    public ProbePartitioner(RunConfig config, Path planFile, Path checkpointsDir) {
        this.config = config;
        this.planFile = planFile;
        this.checkpointsDir = checkpointsDir;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (ProbeTarget target : ProbePlanner.targets(config, planFile, checkpointsDir)) {
            ExecutionContext context = new ExecutionContext();
            try {
                context.putString(TARGET, ProbeRunner.JSON.writeValueAsString(target));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            partitions.put(target.key(), context);
        }
        return partitions;
    }
}

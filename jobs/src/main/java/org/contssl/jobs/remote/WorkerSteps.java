package org.contssl.jobs.remote;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.contssl.steps.workdir.Workdir;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worker's step locator. Spring Batch's {@code BeanFactoryStepLocator} looks a step up by name in one context;
 * a contssl worker serves every experiment of the shared repository, so the step is looked up in a context built
 * for the request's workdir (its resolved config, its files), kept for the next partitions of the same experiment.
 */
public final class WorkerSteps implements AutoCloseable {

    private static final int KEEP = 6;
    private final Map<String, Function<Workdir, ConfigurableApplicationContext>> factories;
    private final Map<String, ConfigurableApplicationContext> contexts = new LinkedHashMap<>(16, 0.75f, true);

    /** {@code factories}: partition step name → the context (of one workdir) that defines that step. */
    public WorkerSteps(Map<String, Function<Workdir, ConfigurableApplicationContext>> factories) {
        this.factories = Map.copyOf(factories);
    }

    public synchronized Step locate(String stepName, StepExecution execution) {
        var factory = factories.get(stepName);
        if (factory == null) {
            throw new IllegalArgumentException("this worker does not know the step " + stepName + " (known: "
                    + factories.keySet() + "): are manager and worker the same contssl version?");
        }
        String dir = execution.getJobExecution().getJobParameters().getString("workdir");
        if (dir == null) {
            throw new IllegalArgumentException("step execution " + execution.getId() + " has no workdir parameter");
        }
        Workdir workdir = Workdir.of(dir);
        ConfigurableApplicationContext context = contexts.computeIfAbsent(stepName + "@" + workdir.root(),
                k -> factory.apply(workdir));
        while (contexts.size() > KEEP) {
            var eldest = contexts.entrySet().iterator().next();
            eldest.getValue().close();
            contexts.remove(eldest.getKey());
        }
        return context.getBeansOfType(Step.class).values().stream()
                .filter(s -> s.getName().equals(stepName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no step " + stepName + " in the context of " + dir));
    }

    @Override
    public synchronized void close() {
        contexts.values().forEach(ConfigurableApplicationContext::close);
        contexts.clear();
    }
}

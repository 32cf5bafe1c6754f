package org.contssl.jobs.status;

import java.util.Locale;

/** Renders an {@link ExecutionHistory} as the table `./run.sh status` prints. */
public final class StatusText {

    private StatusText() {
    }

    public static String render(ExecutionHistory history) {
        if (history.jobs().isEmpty()) {
            return "no job executions in this workdir yet\n";
        }
        StringBuilder out = new StringBuilder();
        for (ExecutionHistory.Job job : history.jobs()) {
            out.append(String.format(Locale.ROOT, "%-10s exec %-4d %-9s %s -> %s%s%n", job.name(),
                    job.executionId(), job.status(), job.started(), job.ended() == null ? "…" : job.ended(),
                    job.seconds() == null ? "" : String.format(Locale.ROOT, " (%.1f s)", job.seconds())));
            // one name column per job, as wide as its longest step name (probe partitions are long)
            int width = job.steps().stream().mapToInt(st -> st.name().length()).max().orElse(0);
            for (ExecutionHistory.Step step : job.steps()) {
                out.append(String.format(Locale.ROOT,
                        "  %-" + Math.max(1, width) + "s %-9s read %-7d write %-7d skip %-5d commits %-6d%s%n", step.name(),
                        step.status(), step.readCount(), step.writeCount(),
                        step.readSkipCount() + step.processSkipCount() + step.writeSkipCount(), step.commitCount(),
                        step.seconds() == null ? "" : String.format(Locale.ROOT, " %.1f s", step.seconds())));
                if (step.reason() != null) {
                    out.append("      reason: ").append(step.reason()).append('\n');
                }
            }
        }
        return out.toString();
    }
}

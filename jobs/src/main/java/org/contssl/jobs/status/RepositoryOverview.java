package org.contssl.jobs.status;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code status --db}: every experiment of a shared job repository on one line each — its latest pipeline (or sweep)
 * execution, the host that launched it, where it is, and how far it got.
 */
public final class RepositoryOverview {

    /** Key of the launching host in a pipeline's or sweep's job execution context. */
    public static final String HOST = "contssl.host";

    /** One experiment (pipeline) or sweep. */
    public record Row(String cell, String workdir, String host, String job, String step, String state,
                      String progress, String started, String ended) {
    }

    private RepositoryOverview() {
    }

    public static List<Row> read(DataSource dataSource, JobRepository repository) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<Row> rows = new ArrayList<>();
        jdbc.query("""
                SELECT i.JOB_NAME, e.JOB_EXECUTION_ID, e.STATUS, e.START_TIME, e.END_TIME, p.PARAMETER_VALUE
                FROM BATCH_JOB_INSTANCE i
                JOIN BATCH_JOB_EXECUTION e ON e.JOB_INSTANCE_ID = i.JOB_INSTANCE_ID
                JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID
                     AND p.PARAMETER_NAME = 'workdir'
                WHERE i.JOB_NAME IN ('pipeline', 'sweep') AND e.JOB_EXECUTION_ID = (SELECT MAX(JOB_EXECUTION_ID)
                      FROM BATCH_JOB_EXECUTION x WHERE x.JOB_INSTANCE_ID = i.JOB_INSTANCE_ID)
                ORDER BY e.JOB_EXECUTION_ID""", rs -> {
            String job = rs.getString(1);
            long id = rs.getLong(2);
            String workdir = rs.getString(6);
            String[] where = progress(jdbc, job, id);
            JobExecution execution = repository.getJobExecution(id);
            Object host = execution == null ? null : execution.getExecutionContext().get(HOST);
            rows.add(new Row(cellName(workdir), workdir, host == null ? "–" : host.toString(), job, where[0],
                    rs.getString(3), where[1], time(rs.getString(4)), time(rs.getString(5))));
        });
        return rows;
    }

    /** The step running (or last run) and steps done / steps seen, from the execution's step rows. */
    private static String[] progress(JdbcTemplate jdbc, String job, long executionId) {
        List<String[]> steps = jdbc.query("SELECT STEP_NAME, STATUS FROM BATCH_STEP_EXECUTION WHERE"
                + " JOB_EXECUTION_ID = ? ORDER BY STEP_EXECUTION_ID", (rs, i) -> new String[] {rs.getString(1),
                rs.getString(2)}, executionId);
        String current = steps.isEmpty() ? "–" : steps.get(steps.size() - 1)[0];
        // restarted executions skip what completed before: count over every execution of the instance
        boolean sweep = job.equals("sweep");
        String like = sweep ? "sweepCell:%" : "%";
        Integer done = jdbc.queryForObject("""
                SELECT COUNT(DISTINCT s.STEP_NAME) FROM BATCH_STEP_EXECUTION s
                JOIN BATCH_JOB_EXECUTION e ON e.JOB_EXECUTION_ID = s.JOB_EXECUTION_ID
                WHERE e.JOB_INSTANCE_ID = (SELECT JOB_INSTANCE_ID FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = ?)
                      AND s.STEP_NAME LIKE ? AND s.STATUS = 'COMPLETED'""", Integer.class, executionId, like);
        if (sweep) {
            Integer all = jdbc.queryForObject("SELECT COUNT(DISTINCT STEP_NAME) FROM BATCH_STEP_EXECUTION WHERE"
                    + " JOB_EXECUTION_ID = ? AND STEP_NAME LIKE ?", Integer.class, executionId, like);
            return new String[] {"sweepCells", done + "/" + Math.max(done, all) + " cells"};
        }
        return new String[] {current, done + "/5 jobs"};
    }

    private static String cellName(String workdir) {
        Path p = Path.of(workdir);
        return p.getParent() != null && p.getParent().getFileName() != null
                && p.getParent().getFileName().toString().equals("cells") ? p.getFileName().toString() : workdir;
    }

    private static String time(String t) {
        return t == null ? "–" : t.length() > 19 ? t.substring(0, 19) : t;
    }

    public static String render(List<Row> rows) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-40s %-22s %-9s %-14s %-10s %-26s %-19s %s%n",
                "cell", "host", "job", "step", "state", "progress", "started", "ended"));
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "%-40s %-22s %-9s %-14s %-10s %-26s %-19s %s%n", r.cell(), r.host(),
                    r.job(), r.step(), r.state(), r.progress(), r.started(), r.ended()));
        }
        return out.toString();
    }
}

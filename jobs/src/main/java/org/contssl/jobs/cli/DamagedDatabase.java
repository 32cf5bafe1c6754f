package org.contssl.jobs.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises a damaged H2 job repository ({@code jobs.mv.db}) in an exception chain and words it as one line
 * naming the file and the way out (docs/failures.md, "Damaged or deleted state files"): the database only records
 * history, so moving it away and restarting loses nothing a restart needs — the lists are rebuilt or reused,
 * pretraining resumes from its newest valid checkpoint, finished probe results are reused.
 */
final class DamagedDatabase {

    private static final Pattern FILE = Pattern.compile("\"?(/[^\\s\"]+\\.mv\\.db)\"?");

    private DamagedDatabase() {
    }

    static Optional<String> describe(Throwable failure) {
        boolean corrupted = false;
        String file = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t.getClass().getName().startsWith("org.h2.") && (m.contains("corrupted") || m.contains("Corrupted"))
                    || m.contains("File corrupted")) {
                corrupted = true;
            }
            Matcher f = FILE.matcher(m);
            if (file == null && f.find()) {
                file = f.group(1);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (!corrupted) {
            return Optional.empty();
        }
        String name = file == null ? "the job database (jobs.mv.db)" : file;
        return Optional.of("the job database " + name + " is damaged: move it away (e.g. mv " + name + " " + name
                + ".damaged) and `restart`; finished outputs are reused and pretraining resumes from its newest valid"
                + " checkpoint");
    }
}

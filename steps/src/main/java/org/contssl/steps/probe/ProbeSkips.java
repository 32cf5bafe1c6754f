package org.contssl.steps.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.contssl.lists.MemmapList;
import org.contssl.model.data.SampleFailure;
import org.contssl.steps.pretrain.SkippedImagesListener;

/**
 * The stream's skip policy applied to probe lists: unreadable probe images are listed in skipped.csv (once, however
 * many partitions and epochs meet them) and tolerated up to {@code data.skip_limit} of the list; past that the probe
 * fails with one line naming the image, since a probe on a set with many holes would be silently wrong.
 */
public final class ProbeSkips {

    /** Parallel partitions append to the same file. */
    private static final Object LOCK = new Object();
    private final Path csv;
    private final double fraction;

    public ProbeSkips(Path csv, double fraction) {
        this.csv = csv;
        this.fraction = fraction;
    }

    /** Records the failures of one pass over {@code list}; throws when they exceed the limit. */
    public void record(String dataset, String split, MemmapList list, List<SampleFailure> failed) {
        long limit = (long) Math.floor(list.size() * fraction);
        if (failed.size() > limit) {
            SampleFailure f = failed.get(0);
            throw new ProbeRunner.BadProbeImageException("probe image " + f.file() + " cannot be read (" + f.message()
                    + "); " + failed.size() + " of " + list.size() + " images of the " + dataset + " probe " + split
                    + " list are unreadable, more than data.skip_limit=" + fraction + " allows: restore the probe data"
                    + " (or re-run `lists` by deleting its list) and restart");
        }
        synchronized (LOCK) {
            try {
                String existing = Files.exists(csv) ? Files.readString(csv, StandardCharsets.UTF_8) : "";
                StringBuilder add = new StringBuilder(existing.isEmpty() ? SkippedImagesListener.HEADER + "\n" : "");
                for (SampleFailure f : failed) {
                    String path = csv(f.file().toString());
                    if (existing.contains("," + path + ",")) {
                        continue;
                    }
                    add.append(f.index()).append(',').append(path).append(',')
                            .append(f.reason().name().toLowerCase()).append(',')
                            .append(csv("probe " + dataset + " " + split + " record " + f.index() + ": "
                                    + f.message())).append('\n');
                }
                Files.writeString(csv, add, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + csv, e);
            }
        }
    }

    private static String csv(String s) {
        String v = s == null ? "" : s.replace("\n", " ");
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}

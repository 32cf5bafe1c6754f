package org.contssl.steps.plan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.contssl.lists.MemmapList;
import org.contssl.steps.config.Presets;
import org.contssl.steps.config.RunConfig;

/**
 * How many records {@code plan} expects from a list it can read, without building anything: a count only, the
 * format checks stay with the lists job (a malformed line counts here and fails there). The counts follow what the
 * lists job makes of each {@code data.type} (docs/your-own-data.md, "Streams").
 */
final class ListCounts {

    private ListCounts() {
    }

    /** A readable path named by a key: set, not {@code ???}, present. */
    static boolean readable(String path) {
        return !path.isBlank() && !Presets.REQUIRED.equals(path) && Files.exists(Path.of(path));
    }

    /**
     * Stream records of {@code data.train_filelist} in the format {@code data.type}: a memmap's records; a text
     * list's non-blank lines; a Kinetics list's videos × {@code n_seq_samples} (with {@code n_seq_samples <= 0} the
     * sum of its frame counts); a class tree's files. Empty when the list is not readable here.
     */
    static OptionalLong streamRecords(RunConfig.Data d) {
        String list = d.trainFilelist();
        if (!readable(list)) {
            return OptionalLong.empty();
        }
        Path path = Path.of(list);
        return OptionalLong.of(switch (d.type()) {
            case "", "memmap" -> {
                try (MemmapList l = MemmapList.open(path)) {
                    yield l.size();
                }
            }
            case "sequential" -> d.nSeqSamples() > 0 ? lines(path) * d.nSeqSamples() : frames(path);
            default -> Files.isDirectory(path) ? files(path) : lines(path);
        });
    }

    /** Labelled images of a probe list (a {@code <path> <label>} text list or a class-folder tree), if readable. */
    static OptionalLong probeImages(String list) {
        if (!readable(list)) {
            return OptionalLong.empty();
        }
        Path path = Path.of(list);
        return OptionalLong.of(Files.isDirectory(path) ? files(path) : lines(path));
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Sum of the second token of a Kinetics list's {@code <frame_dir> <num_frames>} lines (unparsable: 0). */
    private static long frames(Path file) {
        long total = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] tokens = line.trim().split("\\s+");
                if (tokens.length >= 2) {
                    try {
                        total += Math.max(0, Long.parseLong(tokens[1]));
                    } catch (NumberFormatException e) {
                        // the lists job names the bad line; a plan only estimates
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return total;
    }

    /** Images of a class-folder tree: the regular files one level below the class folders. */
    private static long files(Path root) {
        try (Stream<Path> all = Files.walk(root, 2)) {
            return all.filter(p -> Files.isRegularFile(p) && !p.getParent().equals(root)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}

package org.contssl.lists.stream;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;

/**
 * Reads the reference's text lists (docs/reference-system.md §3.1 (d)–(f)): plain image lists, Kinetics frame-directory
 * lists and labelled lists or class-folder trees. Blank lines are ignored; a malformed line is a one-line error
 * naming the file and the 1-based line. Whether the named files exist is not checked here: a missing or unreadable
 * image follows the pretrain step's skip policy like any bad image.
 */
final class TextListReader {

    /** One video of a Kinetics list. */
    record Video(String dir, int frames) {
    }

    /** One image of a labelled list, with its class name. */
    record Labelled(String path, String className) {
    }

    private TextListReader() {
    }

    /** {@code data.type=standard}: the first space-separated token of every line; further tokens are ignored. */
    static List<String> imagePaths(Path file) {
        List<String> out = new ArrayList<>();
        forEachLine(file, (line, no) -> out.add(firstToken(line)));
        return out;
    }

    /** {@code data.type=sequential}: {@code <frame_dir> <num_frames>} per line. */
    static List<Video> videos(Path file) {
        List<Video> out = new ArrayList<>();
        forEachLine(file, (line, no) -> {
            String[] t = line.strip().split(" +");
            int n = -1;
            if (t.length >= 2) {
                try {
                    n = Integer.parseInt(t[1]);
                } catch (NumberFormatException e) {
                    n = -1;
                }
            }
            if (n < 1) {
                throw new ListFormatException(Problem.BAD_OPTION, file, no,
                        "line '" + line.strip() + "' is not '<frame_dir> <num_frames>' with num_frames >= 1",
                        "fix the line or remove the video from the list");
            }
            out.add(new Video(t[0], n));
        });
        return out;
    }

    /**
     * {@code data.type=class_sequential}: a directory whose {@code <class>/<image>} entries are the images (class
     * names sorted), or a text list whose lines are {@code <path>} (class = parent folder, as the reference's
     * {@code ClassSequentialDataset}) or {@code <path> <int_label>} (class = that label, as its probe lists).
     */
    static List<Labelled> labelled(Path fileOrDir) {
        List<Labelled> out = new ArrayList<>();
        if (Files.isDirectory(fileOrDir)) {
            TreeMap<String, List<String>> byClass = new TreeMap<>();
            try (Stream<Path> classes = Files.list(fileOrDir)) {
                for (Path c : classes.filter(Files::isDirectory).toList()) {
                    try (Stream<Path> images = Files.list(c)) {
                        byClass.put(c.getFileName().toString(), images.filter(Files::isRegularFile)
                                .map(p -> fileOrDir.relativize(p).toString()).sorted().toList());
                    }
                }
            } catch (IOException e) {
                throw ListFormatException.ofFile(Problem.IO_ERROR, fileOrDir, "cannot list the class folders ("
                        + e.getMessage() + ")", "check the directory and its permissions");
            }
            byClass.forEach((cls, images) -> images.forEach(p -> out.add(new Labelled(p, cls))));
            return out;
        }
        forEachLine(fileOrDir, (line, no) -> {
            String[] t = line.strip().split(" +");
            if (t.length >= 2 && t[1].matches("-?[0-9]+")) {
                out.add(new Labelled(t[0], t[1]));
                return;
            }
            int slash = t[0].lastIndexOf('/');
            int parent = slash > 0 ? t[0].lastIndexOf('/', slash - 1) : -1;
            if (slash <= 0) {
                throw new ListFormatException(Problem.BAD_OPTION, fileOrDir, no, "line '" + line.strip()
                        + "' has neither a label nor a class folder", "write '<class>/<image>' or '<path> <label>'");
            }
            out.add(new Labelled(t[0], t[0].substring(parent + 1, slash)));
        });
        return out;
    }

    private interface LineConsumer {
        void accept(String line, long lineNumber);
    }

    private static void forEachLine(Path file, LineConsumer each) {
        if (!Files.isRegularFile(file)) {
            throw ListFormatException.ofFile(Problem.MISSING_FILE, file, "the list file does not exist",
                    "check data.train_filelist");
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (!line.isBlank()) {
                    each.accept(line, no);
                }
            }
        } catch (CharacterCodingException e) {
            throw ListFormatException.ofFile(Problem.INVALID_UTF8, file, "the list is not UTF-8 text",
                    "write the list as UTF-8");
        } catch (IOException e) {
            throw ListFormatException.ofFile(Problem.IO_ERROR, file, "cannot read the list (" + e.getMessage() + ")",
                    "check the file and its permissions");
        }
    }

    private static String firstToken(String line) {
        String s = line.strip();
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }
}

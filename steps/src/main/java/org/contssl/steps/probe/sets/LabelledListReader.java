package org.contssl.steps.probe.sets;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.contssl.lists.imports.ImageFiles;

/**
 * Reads one labelled probe list in either of the reference's formats (docs/reference-system.md §3.1,
 * labelled lists): a text file of {@code <path> <label>} lines, or a class-folder tree whose {@code <class>/<image>}
 * entries are the images, class ids = class folder names sorted. Streaming: a text list is read line by line and a
 * tree one class folder at a time, so a 1.28M-image list is checked without holding it.
 *
 * <p>Paths: a relative record resolves against {@code baseDir} (default: the list file's directory) and must stay
 * inside it; an absolute record must lie under {@code baseDir} when one is configured (the reference's lists hold
 * absolute paths, so without a base directory they are taken as they are). Every problem is a
 * {@link ProbeInputException} naming the file and line.
 */
final class LabelledListReader {

    /** Receives each image in list order. */
    interface Sink {
        void accept(Path image, int label);
    }

    /**
     * What a read found.
     *
     * @param maxLabel     the largest label; {@code maxLabelFile} and {@code maxLabelLine} say where it first occurs
     *                     (line -1: the first image of a class folder)
     * @param classNames   class folder names (folder trees only, else empty)
     * @param maxPathBytes the longest resolved path in UTF-8 bytes
     */
    record Summary(long count, int maxLabel, Path maxLabelFile, long maxLabelLine, List<String> classNames,
                   int maxPathBytes) {
    }

    private final String key;
    private final int numClasses;

    /**
     * @param key        the configuration key the list came from ({@code lincls.imnet.train_filelist}), for messages
     * @param numClasses labels must lie in {@code [0, numClasses)}; 0 = any non-negative label
     */
    LabelledListReader(String key, int numClasses) {
        this.key = key;
        this.numClasses = numClasses;
    }

    /**
     * Reads {@code list} (a file or a folder tree). {@code classIds} maps a folder tree's class names onto ids (the
     * train split's, so the val split cannot silently renumber its classes); null numbers them by sorted name.
     */
    Summary read(Path list, Path baseDir, Map<String, Integer> classIds, Sink sink) {
        if (Files.isDirectory(list)) {
            return readTree(list, classIds, sink);
        }
        if (!Files.isRegularFile(list)) {
            throw new ProbeInputException(list, -1, "does not exist (" + key + ")",
                    "give a <path> <label> text list or a class-folder tree");
        }
        return readText(list, baseDir, sink);
    }

    private Summary readText(Path list, Path baseDir, Sink sink) {
        Path base = (baseDir != null ? baseDir : list.toAbsolutePath().getParent()).toAbsolutePath().normalize();
        long count = 0;
        int maxLabel = -1;
        Path maxFile = null;
        long maxLine = -1;
        int maxBytes = 0;
        long lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty()) {
                    continue;
                }
                String[] tokens = s.split("\\s+");
                if (tokens.length < 2) {
                    throw new ProbeInputException(list, lineNo, "no label: expected '<path> <label>'",
                            "append the class id to every line");
                }
                int label;
                try {
                    label = Integer.parseInt(tokens[1]);
                } catch (NumberFormatException e) {
                    throw new ProbeInputException(list, lineNo, "label '" + tokens[1] + "' is not an integer",
                            "labels are class ids 0..num_classes-1");
                }
                checkLabel(list, lineNo, label);
                Path image = resolve(list, lineNo, tokens[0], base, baseDir != null);
                if (label > maxLabel) {
                    maxLabel = label;
                    maxFile = list;
                    maxLine = lineNo;
                }
                maxBytes = Math.max(maxBytes, image.toString().getBytes(StandardCharsets.UTF_8).length);
                sink.accept(image, label);
                count++;
            }
        } catch (CharacterCodingException e) {
            throw new ProbeInputException(list, lineNo + 1, "is not UTF-8 text", "probe lists are UTF-8 text files");
        } catch (IOException e) {
            throw new ProbeInputException(list, -1, "cannot be read (" + e.getMessage() + ")", "check the file");
        }
        if (count == 0) {
            throw new ProbeInputException(list, -1, "has no images (" + key + ")", "give at least one '<path> <label>' line");
        }
        return new Summary(count, maxLabel, maxFile, maxLine, List.of(), maxBytes);
    }

    private Path resolve(Path list, long lineNo, String record, Path base, boolean baseConfigured) {
        Path p;
        try {
            p = Path.of(record);
        } catch (RuntimeException e) {
            throw new ProbeInputException(list, lineNo, "path '" + record + "' is not a valid path", "fix the line");
        }
        if (p.isAbsolute() && !baseConfigured) {
            return p.normalize();
        }
        Path resolved = base.resolve(p).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new ProbeInputException(list, lineNo, "path '" + record + "' is outside the base directory " + base,
                    "paths must stay inside " + key.replaceFirst("\\.[a-z_]+$", ".base_dir")
                            + " (default: the list's directory)");
        }
        return resolved;
    }

    private void checkLabel(Path file, long lineNo, int label) {
        if (label < 0 || (numClasses > 0 && label >= numClasses)) {
            throw new ProbeInputException(file, lineNo, "label " + label + " is outside [0, "
                    + (numClasses > 0 ? numClasses : "∞") + ")", numClasses > 0
                    ? "fix the label or " + key.replaceFirst("\\.[a-z_]+$", ".num_classes") + "=" + numClasses
                    : "labels are class ids from 0");
        }
    }

    private Summary readTree(Path root, Map<String, Integer> classIds, Sink sink) {
        Path dir = root.toAbsolutePath().normalize();
        List<String> classes = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(p)) {
                    classes.add(name);
                }
            }
        } catch (IOException e) {
            throw new ProbeInputException(dir, -1, "cannot be listed (" + e.getMessage() + ")", "check permissions");
        }
        classes.sort(null);
        long count = 0;
        int maxLabel = -1;
        Path maxFile = null;
        long maxLine = -1;
        int maxBytes = 0;
        List<String> used = new ArrayList<>();
        for (String c : classes) {
            List<String> images = images(dir.resolve(c));
            if (images.isEmpty()) {
                continue; // the reference globs */*: a folder without images is no class
            }
            // ids count only folders with images: the reference's sorted classes of */* entries
            Integer label = classIds != null ? classIds.get(c) : Integer.valueOf(used.size());
            Path first = dir.resolve(c).resolve(images.get(0));
            if (label == null) {
                throw new ProbeInputException(dir.resolve(c), -1, "class folder '" + c
                        + "' is not a class of the train split (" + key + ")",
                        "give the val split the train split's class folders");
            }
            if (numClasses > 0 && label >= numClasses) {
                throw new ProbeInputException(first, -1, "class folder '" + c + "' has class id " + label
                        + ", outside [0, " + numClasses + ")", "the tree has more class folders than "
                        + key.replaceFirst("\\.[a-z_]+$", ".num_classes") + "=" + numClasses);
            }
            used.add(c);
            if (label > maxLabel) {
                maxLabel = label;
                maxFile = first;
            }
            for (String name : images) {
                Path image = dir.resolve(c).resolve(name);
                maxBytes = Math.max(maxBytes, image.toString().getBytes(StandardCharsets.UTF_8).length);
                sink.accept(image, label);
                count++;
            }
        }
        if (count == 0) {
            throw new ProbeInputException(dir, -1, "has no <class>/<image> JPEG or PNG files (" + key + ")",
                    "give a class-folder tree or a <path> <label> text list");
        }
        return new Summary(count, maxLabel, maxFile, maxLine, classIds == null ? List.copyOf(used) : List.of(), maxBytes);
    }

    private static List<String> images(Path classDir) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(classDir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && ImageFiles.isImageName(name) && Files.isRegularFile(p)) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new ProbeInputException(classDir, -1, "cannot be listed (" + e.getMessage() + ")",
                    "check permissions");
        }
        out.sort(null);
        return out;
    }
}

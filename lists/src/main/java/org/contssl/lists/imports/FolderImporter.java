package org.contssl.lists.imports;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.ListFormatException.Problem;
import org.contssl.lists.ListMetadata;
import org.contssl.lists.MemmapListWriter;

/**
 * Lists every JPEG/PNG under a folder tree into a labelled catalog list, class = the image's parent folder
 * (relative to the root, so {@code root/cat/x.jpg} is class "cat"; images directly under the root are class ".").
 *
 * <p>Streaming: directories are visited depth-first with each directory's entries sorted by name, and records are
 * written as they are found, so memory holds one directory listing per level, never the whole tree. This order makes
 * the class ids equal the class names sorted component by component (the usual sorted-folder-name ids for a
 * two-level tree) and makes the catalog deterministic. Hidden entries (".name") are skipped; symlinked directories are
 * followed unless they loop back to an ancestor.
 */
public final class FolderImporter {

    /** What a scan found. */
    public record Result(Path list, long images, List<String> classNames, long otherFiles) {
    }

    private FolderImporter() {
    }

    public static Result scan(Path root, Path listOut, int recordWidth) {
        Path r = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(r)) {
            throw ListFormatException.ofFile(Problem.MISSING_FILE, r, "image folder does not exist",
                    "check data.source=folder:DIR");
        }
        List<String> classes = new ArrayList<>();
        long[] other = new long[1];
        try (MemmapListWriter w = MemmapListWriter.create(listOut, recordWidth, r, true)) {
            Deque<Path> ancestors = new ArrayDeque<>();
            visit(r, "", w, classes, other, ancestors);
            if (w.count() == 0) {
                throw ListFormatException.ofFile(Problem.SOURCE_UNAVAILABLE, r,
                        "no JPEG or PNG images found (" + other[0] + " other files)",
                        "point data.source=folder:DIR at a tree of .jpg/.jpeg/.png files (class = parent folder)");
            }
            long n = w.count();
            w.commit(ListMetadata.builder()
                    .role("catalog")
                    .source("folder:" + r)
                    .kind("ordered")
                    .numClasses(classes.size())
                    .classNames(classes));
            return new Result(listOut, n, List.copyOf(classes), other[0]);
        }
    }

    private static void visit(Path dir, String rel, MemmapListWriter w, List<String> classes, long[] other,
                              Deque<Path> ancestors) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw unreadable(dir, e);
        }
        if (ancestors.contains(real)) {
            return; // a symlink loop: the ancestor already lists these images
        }
        ancestors.push(real);
        List<String> images = new ArrayList<>();
        List<String> subdirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    subdirs.add(name);
                } else if (ImageFiles.isImageName(name) && Files.isRegularFile(p)) {
                    images.add(name);
                } else {
                    other[0]++;
                }
            }
        } catch (IOException e) {
            throw unreadable(dir, e);
        }
        if (!images.isEmpty()) {
            images.sort(null);
            int label = classes.size();
            classes.add(rel.isEmpty() ? "." : rel);
            String prefix = rel.isEmpty() ? "" : rel + "/";
            for (String name : images) {
                w.add(prefix + name, label);
            }
        }
        subdirs.sort(null);
        for (String s : subdirs) {
            visit(dir.resolve(s), rel.isEmpty() ? s : rel + "/" + s, w, classes, other, ancestors);
        }
        ancestors.pop();
    }

    private static ListFormatException unreadable(Path dir, IOException e) {
        return ListFormatException.ofFile(Problem.IO_ERROR, dir, "cannot list directory (" + e + ")",
                "check permissions under the image folder");
    }
}

package org.contssl.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad list input fails with one line naming file + record + remedy (the CLI then exits 6, see CliTest). */
class BadListInputTest {

    @TempDir
    Path dir;

    private Path rawList(String name, int width, byte[]... records) throws Exception {
        byte[] bytes = new byte[width * records.length];
        for (int i = 0; i < records.length; i++) {
            System.arraycopy(records[i], 0, bytes, i * width, records[i].length);
        }
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void assertOneLine(ListFormatException e, ListFormatException.Problem problem, Path file, String... parts) {
        assertThat(e).as("expected a ListFormatException").isNotNull();
        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.getMessage()).doesNotContain("\n").contains(file.getFileName().toString()).contains(" — ");
        for (String part : parts) {
            assertThat(e.getMessage()).contains(part);
        }
    }

    @Test
    void recordThatIsNotUtf8() throws Exception {
        Path list = rawList("bad-utf8.memmap", 120, utf8("ok/a.png"), new byte[]{'x', '/', (byte) 0xff, (byte) 0xfe, 'y'});
        try (MemmapList l = MemmapList.open(list)) {
            assertThat(l.pathAt(0)).isEqualTo("ok/a.png");
            ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> l.pathAt(1));
            assertOneLine(e, ListFormatException.Problem.INVALID_UTF8, list, "record 1", "not valid UTF-8");
            assertThat(e.record()).isEqualTo(1);
        }
    }

    @Test
    void pathEscapingTheBaseDirectory() throws Exception {
        Path list = rawList("escape.memmap", 120, utf8("a/../../etc/passwd"), utf8("/etc/passwd"), utf8("a/../b.png"));
        try (MemmapList l = MemmapList.open(list, MemmapList.OpenOptions.defaults().withBaseDir(dir.resolve("base")))) {
            ListFormatException up = catchThrowableOfType(ListFormatException.class, () -> l.resolve(0));
            assertOneLine(up, ListFormatException.Problem.PATH_ESCAPES_BASE, list, "record 0", "escapes the base directory");
            ListFormatException abs = catchThrowableOfType(ListFormatException.class, () -> l.resolve(1));
            assertOneLine(abs, ListFormatException.Problem.PATH_ESCAPES_BASE, list, "record 1", "/etc/passwd");
            assertThat(l.resolve(2)).isEqualTo(dir.resolve("base/b.png").toAbsolutePath().normalize());
        }
        // the writer refuses them too
        try (MemmapListWriter w = MemmapListWriter.create(dir.resolve("w.memmap"), 120, dir.resolve("base"), false)) {
            w.add("fine/x.png");
            ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> w.add("x/../../y.png"));
            assertOneLine(e, ListFormatException.Problem.PATH_ESCAPES_BASE, dir.resolve("w.memmap"), "record 1");
            ListFormatException e2 = catchThrowableOfType(ListFormatException.class, () -> w.add("/etc/passwd"));
            assertOneLine(e2, ListFormatException.Problem.PATH_ESCAPES_BASE, dir.resolve("w.memmap"), "record 1");
        }
    }

    @Test
    void listWhoseSizeIsNotAMultipleOfTheRecordWidth() throws Exception {
        Path list = dir.resolve("odd.memmap");
        Files.write(list, new byte[121]);
        ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> MemmapList.open(list));
        assertOneLine(e, ListFormatException.Problem.SIZE_NOT_MULTIPLE, list, "121", "record width 120", "--record-width");
    }

    @Test
    void countLargerThanTheFile() throws Exception {
        Path list = rawList("short.memmap", 120, utf8("a.png"));
        ListFormatException e = catchThrowableOfType(ListFormatException.class,
                () -> MemmapList.open(list, MemmapList.OpenOptions.defaults().withCount(5L)));
        assertOneLine(e, ListFormatException.Problem.COUNT_EXCEEDS_FILE, list, "count 5", "--count");
    }

    @Test
    void labelsFileWhoseLengthDiffersFromTheList() throws Exception {
        Path list = dir.resolve("l.memmap");
        try (MemmapListWriter w = MemmapListWriter.create(list, 120, dir, true)) {
            w.add("a.png", 0);
            w.add("b.png", 1);
            w.commit(null);
        }
        Path labels = MemmapListWriter.labelsPathOf(list);
        Files.write(labels, new byte[12]);
        ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> MemmapList.open(list));
        assertOneLine(e, ListFormatException.Problem.LABELS_LENGTH, labels, "3 int32 labels", "has 2 records");
    }

    @Test
    void pathLongerThanTheRecordWidthWhenWritingLeavesNothingBehind() throws Exception {
        Path list = dir.resolve("long.memmap");
        String longPath = "d/" + "x".repeat(130) + ".png";
        try (MemmapListWriter w = MemmapListWriter.create(list, 120, dir, true)) {
            w.add("ok.png", 0);
            ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> w.add(longPath, 1));
            assertOneLine(e, ListFormatException.Problem.PATH_TOO_LONG, list, "record 1", "136 bytes",
                    "record width 120");
        }
        assertThat(list).doesNotExist();
        assertThat(Sidecars.sidecarOf(list)).doesNotExist();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void nulInsideARecordAndEmptyRecord() throws Exception {
        Path list = rawList("nul.memmap", 16, new byte[]{'a', 0, 'b'}, new byte[0]);
        try (MemmapList l = MemmapList.open(list, MemmapList.OpenOptions.defaults().withRecordWidth(16))) {
            assertOneLine(catchThrowableOfType(ListFormatException.class, () -> l.pathAt(0)),
                    ListFormatException.Problem.NUL_IN_PATH, list, "record 0");
            assertOneLine(catchThrowableOfType(ListFormatException.class, () -> l.pathAt(1)),
                    ListFormatException.Problem.EMPTY_RECORD, list, "record 1");
        }
    }

    @Test
    void corruptOrContradictingSidecar() throws Exception {
        Path list = dir.resolve("s.memmap");
        try (MemmapListWriter w = MemmapListWriter.create(list, 120, dir, false)) {
            w.add("a.png");
            w.commit(null);
        }
        ListFormatException width = catchThrowableOfType(ListFormatException.class,
                () -> MemmapList.open(list, MemmapList.OpenOptions.defaults().withRecordWidth(60)));
        assertOneLine(width, ListFormatException.Problem.SIDECAR_MISMATCH, list, "--record-width 60");
        Files.write(list, new byte[240]);
        ListFormatException stale = catchThrowableOfType(ListFormatException.class, () -> MemmapList.open(list));
        assertOneLine(stale, ListFormatException.Problem.SIDECAR_MISMATCH, list, "sidecar says 1 records");
        Files.writeString(Sidecars.sidecarOf(list), "{ not json");
        ListFormatException bad = catchThrowableOfType(ListFormatException.class, () -> MemmapList.open(list));
        assertOneLine(bad, ListFormatException.Problem.SIDECAR_INVALID, Sidecars.sidecarOf(list), "not valid JSON");
    }

    @Test
    void controlCharactersInABadPathDoNotBreakTheOneLineMessage() {
        try (MemmapListWriter w = MemmapListWriter.create(dir.resolve("c.memmap"), 8, dir, false)) {
            ListFormatException e = catchThrowableOfType(ListFormatException.class, () -> w.add("evil\nname-too-long"));
            assertThat(e.getMessage()).doesNotContain("\n").contains("evil\\x0aname");
        }
    }
}

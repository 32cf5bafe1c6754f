package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.contssl.steps.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and one-line messages of the CLI for the cases a user meets first. */
class CliTest {

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @Test
    void unknownConfigKeyIsAUsageErrorNamingTheKey(@TempDir Path wd) {
        CliRun r = cli("run", "--workdir", wd.toString(), "model.buffer_size=4096");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown config key 'model.buffer_size'").contains("model.buff_siz");
        assertThat(wd.resolve("config.resolved.yaml")).doesNotExist();
    }

    @Test
    void outOfRangeValueAndUnknownOptionAreUsageErrors(@TempDir Path wd) {
        assertThat(cli("run", "--workdir", wd.toString(), "optim.lr=-1").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("run", "--workdir", wd.toString(), "--no-such-option").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("frobnicate").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aLockHeldByAnotherProcessGivesExitFive(@TempDir Path wd) throws Exception {
        Files.createDirectories(wd);
        // a real second process holding the workdir lock, as a live run does
        Process holder = PipelineFixture.startChildMain(wd.resolve("holder.log"), LockHolder.class.getName(),
                wd.resolve("lock").toString());
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.readString(wd.resolve("holder.log")).contains("locked") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            CliRun r = cli("run", "--workdir", wd.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.LOCKED);
            assertThat(r.err()).contains("is in use by process");
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void restartWithoutARunAndStatusWithoutADatabaseSayWhatToDo(@TempDir Path wd) {
        CliRun restart = cli("restart", "--workdir", wd.toString());
        assertThat(restart.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(restart.err()).contains("nothing to restart");
        CliRun status = cli("status", "--workdir", wd.toString());
        assertThat(status.code()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void listsShowOfABadFileIsABadInputError(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.memmap");
        Files.write(bad, new byte[121]); // not a multiple of the 120-byte record width
        CliRun r = cli("lists", "show", bad.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("bad.memmap").doesNotContain("\tat ");
    }

    /**
     * Bad list inputs (wrong size, bad record, missing image) reach the user as one line naming the file (and
     * record) and a distinct exit code.
     */
    @Test
    void badListInputsAreOneLineNamingFileAndRecord(@TempDir Path dir) throws Exception {
        Path base = Files.createDirectories(dir.resolve("images"));

        Path notUtf8 = dir.resolve("not-utf8.memmap");
        byte[] rec = new byte[120];
        rec[0] = 'a';
        rec[1] = (byte) 0xFF; // never valid in UTF-8
        Files.write(notUtf8, rec);
        assertBadInput(cli("lists", "show", notUtf8.toString(), "--record-width", "120"), "not-utf8.memmap",
                "record 0");

        // found while the lists job runs: the job fails with the same one line, restartable once the list is fixed
        Path escaping = dir.resolve("escaping.memmap");
        byte[] esc = new byte[120 * 40];
        for (int i = 0; i < 40; i++) {
            byte[] path = (i == 7 ? "../../etc/passwd" : "img" + i + ".png").getBytes(StandardCharsets.UTF_8);
            System.arraycopy(path, 0, esc, i * 120, path.length);
        }
        Files.write(escaping, esc);
        CliRun r = cli("run", "--workdir", dir.resolve("run").toString(), "data.train_filelist=" + escaping,
                "data.base_dir=" + base, "data.record_width=120");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("escaping.memmap: record 7", "escapes the base directory", "restart");

        Path two = dir.resolve("two.memmap");
        byte[] recs = new byte[240];
        recs[0] = 'a';
        recs[120] = 'b';
        Files.write(two, recs);
        Path labels = dir.resolve("two.labels");
        Files.write(labels, new byte[4 * 3]); // three labels for two records
        assertBadInput(cli("lists", "show", two.toString(), "--record-width", "120", "--labels", labels.toString()),
                "two.labels");
    }

    private static void assertBadInput(CliRun r, String... mentions) {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(mentions).doesNotContain("\tat ");
    }

    @Test
    void helpListsTheExitCodes() {
        CliRun r = cli("--help");
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("already complete").contains("workdir locked");
    }

    @Test
    void runAndDemoHelpListTheShippedPresets() {
        for (String command : new String[] {"run", "demo"}) {
            CliRun r = cli(command, "--help");
            assertThat(r.code()).isEqualTo(ExitCodes.OK);
            // help text wraps wherever it likes: compare without whitespace
            assertThat(ConfigLoader.presetNames()).contains("demo");
            assertThat(r.out().replaceAll("\\s", "")).as(command)
                    .contains("Preset:oneof" + String.join(",", ConfigLoader.presetNames()) + ",ora.yamlfile");
        }
    }
}

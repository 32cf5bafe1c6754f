package org.contssl.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.contssl.jobs.cli.ExitCodes;
import org.contssl.jobs.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan} predicts what the pretrain step then really does, and {@code presets} lists the shipped runs. */
class PlanCommandTest {

    @TempDir
    Path dir;

    private static String captured(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            assertThat(Main.execute(args)).isEqualTo(ExitCodes.OK);
        } finally {
            System.setOut(out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plannedStepsEqualTheStepsThePretrainStepTakes() throws Exception {
        Path tree = TestImageTree.create(dir.resolve("images"), 10, 40, 16, 7);
        Path workdir = dir.resolve("run");
        // 240 declared stream records with R = 3 and a 96-entry buffer: 2 fill chunks, a 16-record tail dropped
        List<String> overrides = PipelineFixture.overrides(tree, "data.num_files=250", "model.buff_siz=96",
                "model.num_updates=3", "logging.print_freq=1");
        List<String> planArgs = new ArrayList<>(List.of("plan", "--json", "--timing-steps", "1"));
        planArgs.addAll(overrides);
        JsonNode plan = new ObjectMapper().readTree(captured(planArgs.toArray(String[]::new)));
        assertThat(plan.get("kept_records").asLong()).isEqualTo(224);
        assertThat(plan.get("dropped_tail").asLong()).isEqualTo(26);
        assertThat(plan.get("fill_chunks").asLong()).isEqualTo(2);
        assertThat(plan.get("total_steps").asLong()).isEqualTo(21);
        assertThat(plan.get("timing").get("seconds_per_step").asDouble()).isPositive();

        assertThat(Main.execute(PipelineFixture.args("run", workdir, overrides))).isEqualTo(ExitCodes.OK);

        // metrics.csv has one row per step at print_freq 1, with the phase the step belonged to
        List<String> rows = Files.readAllLines(workdir.resolve("metrics.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        int phase = header.indexOf("phase");
        int step = header.indexOf("step");
        long streamSteps = rows.stream().skip(1).filter(r -> r.split(",")[phase].equals("stream")).count();
        long drainSteps = rows.stream().skip(1).filter(r -> r.split(",")[phase].equals("drain")).count();
        long lastStep = Long.parseLong(rows.get(rows.size() - 1).split(",")[step]);
        assertThat(lastStep).isEqualTo(plan.get("total_steps").asLong());
        assertThat(rows).hasSize(1 + (int) plan.get("total_steps").asLong());
        // metrics label a step "drain" once the stream position reached its end, which already holds for the
        // R steps of the last incoming chunk: the plan's stream/drain split is exact up to those R steps
        assertThat(streamSteps + drainSteps).isEqualTo(plan.get("total_steps").asLong());
        assertThat(drainSteps).isEqualTo(plan.get("drain_steps").asLong() + 3);
        try (var files = Files.list(workdir.resolve("checkpoints"))) {
            assertThat(files.filter(Files::isDirectory).count()).isEqualTo(plan.get("checkpoints").asLong());
        }

        // planning on the built workdir reads its stream list and agrees
        List<String> again = new ArrayList<>(List.of("plan", "--json", "--timing-steps", "0", "--workdir",
                workdir.toString()));
        again.addAll(overrides);
        JsonNode built = new ObjectMapper().readTree(captured(again.toArray(String[]::new)));
        assertThat(built.get("stream_source").asText()).contains("stream list built");
        assertThat(built.get("total_steps")).isEqualTo(plan.get("total_steps"));
    }

    @Test
    void presetsListsThePaperRunsAndPlanSaysHowManyDaysOneTakes() {
        String list = captured("presets");
        assertThat(list.lines().count()).isGreaterThanOrEqualTo(11);
        assertThat(list).contains("demo", "flickr20m-fifo-x10", "kinetics-minred-x5", "sec6-minred-x4-quarter");

        String plan = captured("plan", "--preset", "flickr20m-fifo-x10", "--timing-steps", "1", "--timing-batch", "4");
        assertThat(plan).contains("to run it, also set: data.train_filelist, data.base_dir")
                .contains("total 781,250 steps of 256")
                .containsPattern("that is [0-9,]+ days of this CPU");
    }
}

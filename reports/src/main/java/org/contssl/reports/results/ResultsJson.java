package org.contssl.reports.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.contssl.core.AtomicFiles;

/**
 * results.json: snake_case keys (the reference's users read it from Python), pretty-printed, written through
 * {@link AtomicFiles} (synced temp file, rename) so a crash never leaves half a file for {@code report --compare}.
 */
public final class ResultsJson {
    public static final String FILE_NAME = "results.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ResultsJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(RunResults r) {
        try {
            return MAPPER.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("results.json: cannot serialise the run results: " + e.getOriginalMessage(), e);
        }
    }

    public static RunResults fromJson(String json, String origin) {
        try {
            return MAPPER.readValue(json, RunResults.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": not a contssl results.json (" + e.getOriginalMessage().replace('\n', ' ') + "); regenerate it with './run.sh report --workdir DIR'", e);
        }
    }

    public static void write(RunResults r, Path file) {
        try {
            AtomicFiles.write(file, toJson(r).getBytes(StandardCharsets.UTF_8));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("results.json: " + e.getMessage(), e.getCause());
        }
    }

    public static RunResults read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " not found; run the pipeline (or './run.sh report --workdir DIR') first");
        }
        try {
            return fromJson(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}

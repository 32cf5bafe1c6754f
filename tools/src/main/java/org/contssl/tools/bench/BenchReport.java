package org.contssl.tools.bench;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * A benchmark's result: one JSON object (what {@code --json} prints) whose first fields are the same for every
 * benchmark — {@code benchmark}, {@code cpu_model}, {@code cpu_flags}, {@code cores} (see {@link CpuFacts}) — plus
 * the human-readable progress lines the benchmark writes while it runs.
 */
public final class BenchReport {
    /** Compact output, field order as inserted. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode json = MAPPER.createObjectNode();
    private final PrintStream log;

    private BenchReport(String benchmark, PrintStream log) {
        this.log = log;
        CpuFacts cpu = CpuFacts.current();
        json.put("benchmark", benchmark);
        json.put("cpu_model", cpu.model());
        ArrayNode flags = json.putArray("cpu_flags");
        cpu.flags().forEach(flags::add);
        json.put("cores", cpu.cores());
    }

    /** A report for {@code benchmark} whose progress lines go to {@code log}. */
    public static BenchReport start(String benchmark, PrintStream log) {
        return new BenchReport(benchmark, log);
    }

    /** The result object, to add fields to. */
    @JsonValue
    public ObjectNode json() {
        return json;
    }

    /** Adds a field whose value Jackson converts now (maps, lists, numbers, records): later changes are not seen. */
    public BenchReport put(String key, Object value) {
        json.set(key, MAPPER.valueToTree(value));
        return this;
    }

    /** Adds every entry of {@code fields}, in order. */
    public BenchReport putAll(Map<String, ?> fields) {
        fields.forEach(this::put);
        return this;
    }

    /** One formatted progress line ({@link Locale#ROOT} number format). */
    public void say(String format, Object... args) {
        log.println(String.format(Locale.ROOT, format, args));
    }

    /** The stream progress lines go to. */
    public PrintStream log() {
        return log;
    }

    /** The result as one line of JSON, or indented. */
    public String toJson(boolean indent) {
        try {
            return indent ? MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json)
                    : MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("benchmark result is not serialisable", e);
        }
    }

    /** {@code v} rounded to {@code digits} decimals (results carry no spurious precision). */
    public static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}

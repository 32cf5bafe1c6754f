package org.contssl.tools.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;

/** The parity check's human-readable report of one model (the JSON result holds the same numbers). */
final class ParityPrinter {
    private final PrintStream out;

    ParityPrinter(PrintStream out) {
        this.out = out;
    }

    void printModel(ObjectNode m) {
        out.printf(Locale.ROOT, "%s (%s), torch %s: %s%n", m.get("arch").asText(), m.get("input").asText(),
                m.get("torch").asText(), m.get("pass").asBoolean() ? "pass" : "FAIL");
        out.println(" per step (torch restarted from contssl's state): within 1e-5/1e-4 of torch float32, or as "
                + "accurate as it against torch float64");
        for (JsonNode s : m.get("accuracy_vs_float64")) {
            out.printf(Locale.ROOT, "  step %d  lr %.6g/%.6g  %s (within tolerance: %s, as accurate as PyTorch: %s)%n",
                    s.get("step").asInt(), s.get("lr_encoder").asDouble(), s.get("lr_predictor").asDouble(),
                    s.get("pass").asBoolean() ? "pass" : "FAIL", s.get("synced_within_tolerance").asBoolean(),
                    s.get("as_accurate_as_pytorch").asBoolean());
            out.println("   error against torch float64:");
            printErrors("contssl", s.get("contssl"));
            printErrors("pytorch", s.get("pytorch"));
        }
        printMode(m, "synced", "contssl vs torch float32, torch restarted from contssl's state each step");
        printMode(m, "chained", "contssl vs torch float32, each training on its own");
        printMode(m, "chained_alt", "torch vs torch with another thread count (the reference's own spread)");
    }

    void printErrors(String who, JsonNode e) {
        out.printf(Locale.ROOT, "    %-8s loss %.2e  gradients %.2e (%s)  weights %.2e (%s)  bn stats %.2e%n", who,
                e.get("loss_rel").asDouble(), e.get("gradients").get("max_rel").asDouble(),
                e.get("gradients").get("worst").asText(), e.get("weights").get("max_rel").asDouble(),
                e.get("weights").get("worst").asText(), e.get("bn_running_stats").get("max_rel").asDouble());
    }

    void printMode(ObjectNode m, String mode, String title) {
        out.printf(Locale.ROOT, " %s: %s%n", mode, title);
        for (JsonNode s : m.get(mode)) {
            out.printf(Locale.ROOT, "  step %d", s.get("step").asInt());
            printErrors("", s);
        }
    }
}

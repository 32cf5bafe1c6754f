package org.contssl.reports.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.contssl.reports.SampleRuns;
import org.contssl.reports.compare.CompareReport;
import org.contssl.reports.render.ReportFiles;
import org.contssl.reports.render.ReportWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in headless Chromium: every image must load (decoded, non-zero size), the console must stay free
 * of errors and exceptions, and the page must make no request except its own file (data: URIs do not hit the network).
 * Tagged {@code browser}: select with {@code -Dgroups=browser}, leave out with {@code -DexcludedGroups=browser};
 * skipped with a message when no chromium is installed (Debian: apt-get install -y chromium).
 */
@Tag("browser")
class HtmlReportInBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** One browser for the class: starting Chromium is the slow part on a shared 2-core machine. */
    private static HeadlessChromium browser;
    private static Path profile;

    @AfterAll
    static void closeBrowser() throws Exception {
        if (browser != null) browser.close();
        if (profile != null) {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void runReportLoadsEveryImageWithoutConsoleErrors() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        ReportFiles f = new ReportWriter().write(SampleRuns.demo(work, "simple", 83.0, 1), work);
        PageCheck c = open(f.html());
        assertThat(c.images).isEqualTo(f.charts().size());
        assertThat(c.broken).isEmpty();
        assertThat(c.problems).isEmpty();
        assertThat(c.text).contains("Downstream probes").contains("raw pixels (floor)").contains("Entries of the replay buffer per class");
    }

    @Test
    void domainsReportAndComparisonRenderCleanly() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("dom"));
        double[][] a = {{90, 50, 40, 30}, {85, 88, 45, 35}, {80, 84, 92, 38}, {78, 80, 89, 91}};
        ReportFiles f = new ReportWriter().write(SampleRuns.domains(work, "minred", a), work);
        PageCheck c = open(f.html());
        assertThat(c.images).isEqualTo(f.charts().size());
        assertThat(c.broken).isEmpty();
        assertThat(c.problems).isEmpty();
        assertThat(c.text).contains("Continual evaluation and forgetting");

        CompareReport.load(List.of(work)).write(tmp.resolve("cmp"));
        PageCheck cmp = open(tmp.resolve("cmp/compare.html"));
        assertThat(cmp.problems).isEmpty();
        assertThat(cmp.text).contains("Forgetting % D0");
    }

    /** The checker itself must catch what it is there to catch. */
    @Test
    void checkerCatchesBrokenImagesConsoleErrorsAndNetworkRequests() throws Exception {
        Path bad = tmp.resolve("bad.html");
        Files.writeString(bad, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>bad</title></head><body>"
                + "<img alt=\"corrupt\" src=\"data:image/png;base64,AAAA\">"
                + "<img alt=\"remote\" src=\"http://127.0.0.1:9/x.png\">"
                + "<script>console.error('boom')</script></body></html>");
        PageCheck c = open(bad);
        assertThat(c.images).isEqualTo(2);
        assertThat(c.broken).contains("corrupt");
        assertThat(c.problems).anyMatch(p -> p.startsWith("console.error")).anyMatch(p -> p.contains("127.0.0.1:9"));
    }

    private record PageCheck(int images, List<String> broken, List<String> problems, String text) {}

    private PageCheck open(Path html) throws Exception {
        Optional<Path> bin = HeadlessChromium.find();
        assumeTrue(bin.isPresent(), "chromium not installed (apt-get install -y chromium): headless HTML report check skipped");
        if (browser == null) {
            profile = Files.createTempDirectory("contssl-chromium-profile");
            browser = new HeadlessChromium(bin.get(), profile);
            browser.call("Runtime.enable", Map.of());
            browser.call("Log.enable", Map.of());
            browser.call("Network.enable", Map.of());
            browser.call("Page.enable", Map.of());
        }
        HeadlessChromium b = browser;
        // park on a blank page first so nothing from the previous page leaks into this page's events
        b.call("Page.navigate", Map.of("url", "about:blank"));
        b.awaitEvent("Page.loadEventFired", Duration.ofSeconds(60));
        b.clearEvents();
        String url = html.toUri().toString();
        b.call("Page.navigate", Map.of("url", url));
        b.awaitEvent("Page.loadEventFired", Duration.ofSeconds(60));
        JsonNode r = b.call("Runtime.evaluate", Map.of("returnByValue", true, "expression",
                "JSON.stringify({n: document.images.length, broken: Array.from(document.images)"
              + ".filter(i => !(i.complete && i.naturalWidth > 0 && i.naturalHeight > 0)).map(i => i.alt),"
              + " text: document.body.innerText})"));
        JsonNode v = JSON.readTree(r.path("result").path("value").asText());
        List<String> broken = new ArrayList<>();
        v.path("broken").forEach(x -> broken.add(x.asText()));

        List<String> problems = new ArrayList<>();
        for (JsonNode e : b.events()) {
            String m = e.path("method").asText();
            JsonNode p = e.path("params");
            switch (m) {
                case "Runtime.consoleAPICalled" -> {
                    String type = p.path("type").asText();
                    if (type.equals("error") || type.equals("assert") || type.equals("warning")) problems.add("console." + type + ": " + p.path("args"));
                }
                case "Runtime.exceptionThrown" -> problems.add("exception: " + p.path("exceptionDetails"));
                case "Log.entryAdded" -> {
                    if (p.path("entry").path("level").asText().equals("error")) problems.add("log error: " + p.path("entry"));
                }
                case "Network.requestWillBeSent" -> {
                    String u = p.path("request").path("url").asText();
                    if (!u.equals(url) && !u.startsWith("data:")) problems.add("network request: " + u);
                }
                case "Network.loadingFailed" -> problems.add("load failed: " + p);
                default -> { }
            }
        }
        return new PageCheck(v.path("n").asInt(), broken, problems, v.path("text").asText());
    }
}

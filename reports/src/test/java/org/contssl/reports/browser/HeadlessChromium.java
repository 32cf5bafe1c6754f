package org.contssl.reports.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A headless Chromium driven over the DevTools protocol (JDK WebSocket + Jackson, no extra dependency): opens a page,
 * records console messages, exceptions, log entries and network requests, and evaluates JavaScript in the page.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();

    /** The chromium binary: $CHROMIUM_BIN, /usr/bin/chromium, or chromium/chromium-browser on PATH. */
    static Optional<Path> find() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("CHROMIUM_BIN");
        if (env != null && !env.isBlank()) candidates.add(env);
        candidates.add("/usr/bin/chromium");
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            candidates.add(dir + "/chromium");
            candidates.add(dir + "/chromium-browser");
        }
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    HeadlessChromium(Path binary, Path userDataDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-extensions", "--disable-component-update", "--mute-audio",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + userDataDir, "about:blank");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        process = pb.start();
        String wsUrl = readDevToolsUrl(process, Duration.ofSeconds(60));
        URI browser = URI.create(wsUrl);
        HttpClient http = HttpClient.newHttpClient();
        // connect to the page target (not the browser target) so page-domain commands need no session id
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String pageWs = null;
        for (JsonNode t : JSON.readTree(list)) {
            if ("page".equals(t.path("type").asText())) {
                pageWs = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageWs == null) throw new IllegalStateException("chromium: no page target in " + list);
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new Listener()).get(30, TimeUnit.SECONDS);
    }

    private static String readDevToolsUrl(Process p, Duration timeout) throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuilder err = new StringBuilder();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (err) {
                        if (err.length() < 8000) err.append(line).append('\n');
                    }
                    Matcher m = WS.matcher(line);
                    if (m.find()) url.complete(m.group(1));
                }
            } catch (IOException ignored) {
                // process ended
            }
            url.completeExceptionally(new IllegalStateException("chromium exited without a DevTools URL"));
        }, "chromium-stderr");
        t.setDaemon(true);
        t.start();
        try {
            return url.get(timeout.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            synchronized (err) {
                throw new IllegalStateException("chromium did not start: " + err, e);
            }
        }
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
        JsonNode res = f.get(60, TimeUnit.SECONDS);
        if (res.has("error")) throw new IllegalStateException(method + " failed: " + res.get("error"));
        return res.path("result");
    }

    /** Waits for an event; every event received meanwhile is kept for {@link #events()}. */
    JsonNode awaitEvent(String method, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) throw new IllegalStateException("timed out waiting for " + method);
            seen.add(e);
            if (method.equals(e.path("method").asText())) return e;
        }
    }

    /** Forgets the events received so far (before opening the next page). */
    void clearEvents() {
        events.clear();
        seen.clear();
    }

    /** All events received so far. */
    List<JsonNode> events() {
        events.drainTo(seen);
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException ignored) {
            // already closed
        }
        // only the processes this test started: chromium and its own children
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buf = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buf.append(data);
            if (last) {
                try {
                    JsonNode n = JSON.readTree(buf.toString());
                    if (n.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
                        if (f != null) f.complete(n);
                    } else {
                        events.add(n);
                    }
                } catch (IOException e) {
                    events.add(JSON.createObjectNode().put("method", "test.unparseable").put("text", buf.toString()));
                }
                buf.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}

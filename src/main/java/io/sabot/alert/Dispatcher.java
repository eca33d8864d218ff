package io.sabot.alert;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sabot.engine.AlertView;
import io.sabot.spec.AlertSpec;
import io.sabot.telemetry.SecretUrls;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Delivers alerts to a rule's channels off every engine thread.
 *
 * <p>Guarantees (tests in {@code AlertDeliveryTest}):
 * <ul>
 *   <li>In order: per alert and channel one delivery at a time, so "resolved" never overtakes
 *       "firing" ({@code CrashLoopAlertTest}).</li>
 *   <li>Never blocks its caller: {@link #deliver} only schedules; at most {@link #MAX_PENDING}
 *       deliveries wait, beyond that a delivery is dropped with a note (outcome {@code dropped}).</li>
 *   <li>A webhook is POSTed asynchronously (5 s timeout); a failure (no connection, timeout, a
 *       status outside 2xx) is retried {@code retries} times after {@code initialBackoff},
 *       doubling up to 60 s, then dropped with a note. A dead webhook delays nothing else.</li>
 *   <li>A command hook runs its argv (no shell) with the alert in its environment, stdin from
 *       /dev/null, at most 30 s (then its process tree is killed), never more than 2 at once.</li>
 *   <li>The desktop channel uses {@code notify-send} (else {@code gdbus}) only where a session
 *       bus exists; elsewhere it is skipped silently.</li>
 *   <li>Webhook URLs are masked in every outcome, span and log line.</li>
 * </ul>
 */
final class Dispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.alert");
    static final int MAX_PENDING = 1000;
    static final long MAX_BACKOFF_MS = 60_000;
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
    static final long COMMAND_TIMEOUT_MS = 30_000;

    private final Tracer tracer;
    private final long initialBackoffMs;
    private final Consumer<Outcome> outcomes;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sabot-alert-delivery"));
    private final ExecutorService commands = Executors.newFixedThreadPool(2, r -> daemon(r, "sabot-alert-command"));
    private final ExecutorService http = Executors.newFixedThreadPool(2, r -> daemon(r, "sabot-alert-http"));
    /** Made at the first webhook delivery: an engine without webhooks never loads the HTTP client. */
    private volatile HttpClient client;
    private final AtomicInteger pending = new AtomicInteger();
    /** The latest delivery per alert key and channel (what the next one waits for). */
    private final Map<String, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();
    /** Deliveries under way, by alert id, state and channel: completed by their final outcome. */
    private final Map<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One channel's outcome for one alert state: the service stores it with the alert. */
    record Outcome(AlertView alert, AlertView.Delivery delivery) { }

    Dispatcher(Tracer tracer, long initialBackoffMs, Consumer<Outcome> outcomes) {
        this.tracer = tracer;
        this.initialBackoffMs = initialBackoffMs;
        this.outcomes = outcomes;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Schedules the delivery of {@code a} to each channel of {@code rule}; returns at once. Called by one thread (the alert thread). */
    void deliver(AlertView a, AlertSpec rule, Context parent) {
        if (rule.webhook() != null) inTurn(a, "webhook", SecretUrls.mask(rule.webhook()), () -> webhook(a, rule, parent, 0));
        if (rule.command() != null) inTurn(a, "command", rule.command().get(0), () -> commands.execute(() -> command(a, rule, parent)));
        if (rule.desktop()) inTurn(a, "desktop", "session bus", () -> commands.execute(() -> desktop(a, parent)));
    }

    /**
     * Per alert and channel, one delivery at a time, in order: a receiver never gets "resolved"
     * before "firing" (a webhook still retrying its firing holds the resolution back until it is
     * delivered or dropped). Deliveries of other alerts and channels do not wait.
     */
    private void inTurn(AlertView a, String channel, String target, Runnable job) {
        String chain = a.key() + "|" + channel;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        running.put(a.id() + "/" + a.state() + "/" + channel, mine);
        CompletableFuture<Void> before = chains.put(chain, mine);
        mine.whenComplete((x, y) -> chains.remove(chain, mine));
        Runnable go = () -> submit(a, channel, target, job);
        if (before == null || before.isDone()) go.run();
        else before.whenComplete((x, y) -> go.run());
    }

    private void submit(AlertView a, String channel, String target, Runnable job) {
        if (closed) return;
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            report(a, channel, target, "dropped", 0, "delivery queue full (" + MAX_PENDING + " waiting): dropped");
            return;
        }
        timer.execute(() -> {
            pending.decrementAndGet();
            job.run();
        });
    }

    private void report(AlertView a, String channel, String target, String outcome, int attempts, String detail) {
        boolean last = !(channel.equals("webhook") && outcome.equals("failed")); // a failed webhook attempt is retried
        if (last) {
            CompletableFuture<Void> f = running.remove(a.id() + "/" + a.state() + "/" + channel);
            if (f != null) f.complete(null);
        }
        try {
            outcomes.accept(new Outcome(a, new AlertView.Delivery(channel, target, a.state(), outcome, attempts, detail, System.currentTimeMillis())));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "alerts: could not record a delivery: " + e.getMessage());
        }
    }

    // ---- webhook ---------------------------------------------------------------------------

    private void webhook(AlertView a, AlertSpec rule, Context parent, int attempt) {
        if (closed) return;
        String target = SecretUrls.mask(rule.webhook());
        Span span = tracer.spanBuilder("alert.webhook").setParent(parent).startSpan();
        span.setAttribute("sabot.alert", a.alert());
        span.setAttribute("url", target);
        span.setAttribute("attempt", attempt + 1);
        String body = (rule.slack() ? AlertJson.slack(a) : AlertJson.body(a)).toString();
        HttpRequest.Builder req;
        try {
            req = HttpRequest.newBuilder(URI.create(rule.webhook())).timeout(HTTP_TIMEOUT)
                    .header("Content-Type", "application/json").header("User-Agent", "sabot-alerts")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            rule.headers().forEach(req::header);
        } catch (IllegalArgumentException e) {
            span.setStatus(StatusCode.ERROR, "invalid request");
            span.end();
            report(a, "webhook", target, "dropped", attempt + 1, "cannot build the request (" + e.getMessage().replace(rule.webhook(), target) + ")");
            return;
        }
        client().sendAsync(req.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            String problem = err != null ? describe(err) : resp.statusCode() / 100 == 2 ? null : "HTTP " + resp.statusCode();
            if (problem == null) {
                span.setAttribute("http.status_code", resp.statusCode());
                span.end();
                report(a, "webhook", target, "delivered", attempt + 1, "HTTP " + resp.statusCode());
                return;
            }
            span.setStatus(StatusCode.ERROR, problem);
            span.end();
            if (attempt < rule.retries() && !closed) {
                long delay = Math.min(MAX_BACKOFF_MS, initialBackoffMs << Math.min(attempt, 20));
                report(a, "webhook", target, "failed", attempt + 1, problem + "; retry in " + delay + " ms");
                try {
                    timer.schedule(() -> webhook(a, rule, parent, attempt + 1), delay, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // shutting down
                }
            } else {
                report(a, "webhook", target, "dropped", attempt + 1, problem + "; gave up after " + (attempt + 1) + " attempts");
                LOG.log(System.Logger.Level.WARNING, "alert " + a.alert() + " (" + a.state() + ") not delivered to " + target + ": " + problem
                        + "; gave up after " + (attempt + 1) + " attempts");
            }
        });
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) client = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).executor(http).followRedirects(HttpClient.Redirect.NEVER).build();
                c = client;
            }
        }
        return c;
    }

    private static String describe(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof java.net.http.HttpTimeoutException) return "timed out after " + HTTP_TIMEOUT.toSeconds() + " s";
        if (c instanceof java.net.ConnectException) return "connection refused or unreachable";
        String m = c.getMessage();
        return m == null || m.isBlank() ? c.getClass().getSimpleName().replace("Exception", " error").trim() : m;
    }

    // ---- command hook ----------------------------------------------------------------------

    private void command(AlertView a, AlertSpec rule, Context parent) {
        String target = rule.command().get(0);
        Span span = tracer.spanBuilder("alert.command").setParent(parent).startSpan();
        span.setAttribute("sabot.alert", a.alert());
        span.setAttribute("command", target);
        Path out = null;
        Process p = null;
        try {
            out = Files.createTempFile("sabot-alert-", ".out");
            ProcessBuilder pb = new ProcessBuilder(rule.command()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectOutput(out.toFile());
            pb.environment().putAll(AlertJson.env(a));
            p = pb.start();
            boolean done = p.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            String tail = tail(out);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                span.setStatus(StatusCode.ERROR, "timeout");
                report(a, "command", target, "failed", 1, "still running after " + COMMAND_TIMEOUT_MS / 1000 + " s: killed" + tail);
            } else if (p.exitValue() != 0) {
                span.setStatus(StatusCode.ERROR, "exit " + p.exitValue());
                report(a, "command", target, "failed", 1, "exited with code " + p.exitValue() + tail);
            } else {
                report(a, "command", target, "delivered", 1, "exited with code 0" + tail);
            }
        } catch (IOException e) {
            span.setStatus(StatusCode.ERROR, "cannot start");
            report(a, "command", target, "failed", 1, "cannot start " + target + ": " + e.getMessage());
        } catch (InterruptedException e) {
            if (p != null) p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            span.end();
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }

    private static String tail(Path out) throws IOException {
        try (InputStream in = Files.newInputStream(out)) {
            long size = Files.size(out);
            if (size == 0) return "";
            in.skip(Math.max(0, size - 1024));
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "" : "; output: " + s;
        }
    }

    // ---- desktop -----------------------------------------------------------------------------

    /** Whether a freedesktop session bus is there to talk to. */
    static boolean sessionBus() {
        String addr = System.getenv("DBUS_SESSION_BUS_ADDRESS");
        if (addr != null && !addr.isBlank()) return true;
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return runtime != null && Files.exists(Path.of(runtime, "bus"));
    }

    private void desktop(AlertView a, Context parent) {
        if (!sessionBus()) {
            report(a, "desktop", "session bus", "skipped", 0, "no session bus here");
            return;
        }
        String title = "Sabot: " + a.alert() + (a.test() ? " (test)" : "") + " " + a.state();
        List<String> argv = new ArrayList<>();
        if (io.sabot.spec.ExecutableCheck.onPath("notify-send") != null) {
            argv.addAll(List.of("notify-send", "--app-name=Sabot", "--urgency=" + (AlertView.FIRING.equals(a.state()) ? "critical" : "normal"), title, a.message()));
        } else if (io.sabot.spec.ExecutableCheck.onPath("gdbus") != null) {
            argv.addAll(List.of("gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications", "--object-path",
                    "/org/freedesktop/Notifications", "--method", "org.freedesktop.Notifications.Notify", gvariant("Sabot"), "0", gvariant(""),
                    gvariant(title), gvariant(a.message()), "[]", "{}", "-1"));
        } else {
            report(a, "desktop", "session bus", "skipped", 0, "neither notify-send nor gdbus is installed");
            return;
        }
        Span span = tracer.spanBuilder("alert.desktop").setParent(parent).startSpan();
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                report(a, "desktop", argv.get(0), "failed", 1, "no answer from the notification service in 5 s");
            } else if (p.exitValue() != 0) {
                report(a, "desktop", argv.get(0), "skipped", 1, "no notification service on the session bus (exit " + p.exitValue() + ")");
            } else {
                report(a, "desktop", argv.get(0), "delivered", 1, "shown");
            }
        } catch (IOException e) {
            report(a, "desktop", argv.get(0), "skipped", 1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            span.end();
        }
    }

    /** A GVariant string literal, as gdbus parses its arguments. */
    static String gvariant(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        commands.shutdownNow();
        http.shutdownNow();
    }
}

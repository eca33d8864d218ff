package io.sabot.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An HTTP check: GET the URL (asynchronously, no redirects followed); a status in the ranges passes. */
final class HttpCheck implements Check {
    private final URI url;
    private final String status;
    private final List<int[]> ranges = new ArrayList<>();
    private final long timeoutMs;
    private final HttpClient client;

    HttpCheck(String url, String status, long timeoutMs, HttpClient client) {
        this.url = URI.create(url);
        this.status = status;
        for (String part : status.split(",")) {
            String[] r = part.strip().split("-");
            int lo = Integer.parseInt(r[0].strip()), hi = r.length > 1 ? Integer.parseInt(r[1].strip()) : lo;
            ranges.add(new int[] {lo, hi});
        }
        this.timeoutMs = timeoutMs;
        this.client = client;
    }

    boolean accepts(int code) {
        for (int[] r : ranges) if (code >= r[0] && code <= r[1]) return true;
        return false;
    }

    @Override
    public CompletableFuture<CheckResult> run() {
        HttpRequest req = HttpRequest.newBuilder(url).GET().timeout(Duration.ofMillis(timeoutMs)).header("User-Agent", "sabot-probe").build();
        return client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handle((r, t) -> {
            if (t != null) {
                Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
                String why = c instanceof java.util.concurrent.TimeoutException || c instanceof java.net.http.HttpTimeoutException
                        ? "no answer within " + timeoutMs + " ms"
                        : c instanceof java.net.ConnectException ? "connection refused"
                        : (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
                return CheckResult.fail("GET " + url + ": " + why);
            }
            int code = r.statusCode();
            return accepts(code) ? CheckResult.pass("GET " + url + " answered " + code)
                    : CheckResult.fail("GET " + url + " answered " + code + " (expected " + status + ")");
        });
    }
}

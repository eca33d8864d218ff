package io.sabot.export;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sabot.engine.AlertView;
import io.sabot.engine.LocalEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Metrics export with the Prometheus Java client (1.x): one registry holding the
 * {@link SabotCollector}; {@link #text()} is what {@code sabot metrics} prints (OpenMetrics text),
 * {@link #listen} serves the same at {@code /metrics} only when the operator asks
 * ({@code sabot daemon --metrics-listen 127.0.0.1:PORT}); nothing listens by default.
 */
public final class MetricsExport implements AutoCloseable {
    private final LocalEngine engine;
    private final Supplier<List<AlertView>> alerts;
    private PrometheusRegistry registry;
    private volatile HTTPServer server;

    public MetricsExport(LocalEngine engine, Supplier<List<AlertView>> alerts) {
        this.engine = engine;
        this.alerts = alerts;
    }

    /** Built at the first scrape: an engine nobody scrapes never loads the client library. */
    private synchronized PrometheusRegistry registry() {
        if (registry == null) {
            registry = new PrometheusRegistry();
            registry.register(new SabotCollector(engine, alerts));
        }
        return registry;
    }

    /** The OpenMetrics text exposition (ends with {@code # EOF}). */
    public String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            OpenMetricsTextFormatWriter.create().write(out, registry().scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Serves {@code /metrics} on {@code address} ({@code HOST:PORT}, or {@code PORT} for
     * 127.0.0.1; port 0 picks a free one). Returns the port bound.
     */
    public synchronized int listen(String address) throws IOException {
        if (server != null) throw new IllegalStateException("already listening on port " + server.getPort());
        Listen l = Listen.parse(address);
        server = HTTPServer.builder().inetAddress(InetAddress.getByName(l.host())).port(l.port()).registry(registry()).buildAndStart();
        return server.getPort();
    }

    /** A {@code --metrics-listen} value: host (loopback when left out) and port. */
    public record Listen(String host, int port) {
        public static Listen parse(String s) {
            if (s == null || s.isBlank()) throw new IllegalArgumentException("--metrics-listen needs HOST:PORT or PORT, e.g. 127.0.0.1:9464");
            String host = "127.0.0.1";
            String port = s.strip();
            int colon = port.lastIndexOf(':');
            if (colon >= 0) {
                host = port.substring(0, colon);
                port = port.substring(colon + 1);
                if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
                if (host.isEmpty()) host = "127.0.0.1";
            }
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--metrics-listen: port \"" + port + "\" is not a number (HOST:PORT or PORT)");
            }
            if (p < 0 || p > 65535) throw new IllegalArgumentException("--metrics-listen: port must be 0..65535, was " + p);
            return new Listen(host, p);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) server.close();
        server = null;
    }
}

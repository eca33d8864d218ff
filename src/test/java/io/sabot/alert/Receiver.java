package io.sabot.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP receiver on loopback (port 0): records every POST, answers with a status the test sets. */
final class Receiver implements AutoCloseable {
    record Hit(long timeMs, String path, String authorization, JsonNode body) { }

    final HttpServer server;
    final List<Hit> hits = new ArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    /** While true, requests are held without an answer (a webhook that hangs). */
    volatile boolean hang;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", ex -> {
            JsonNode body = new ObjectMapper().readTree(ex.getRequestBody());
            synchronized (hits) {
                hits.add(new Hit(System.currentTimeMillis(), ex.getRequestURI().toString(), ex.getRequestHeaders().getFirst("Authorization"), body));
            }
            while (hang) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.start();
    }

    String url(String path) { return "http://127.0.0.1:" + server.getAddress().getPort() + path; }

    List<Hit> hits() {
        synchronized (hits) { return new ArrayList<>(hits); }
    }

    @Override
    public void close() {
        hang = false;
        server.stop(0);
    }
}

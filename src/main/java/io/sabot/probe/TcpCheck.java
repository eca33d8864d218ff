package io.sabot.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A TCP check: a connection to host:port is accepted (asynchronously; closed at once). */
final class TcpCheck implements Check {
    private final String host;
    private final int port;
    private final long timeoutMs;
    private final ScheduledExecutorService timers;

    TcpCheck(String host, int port, long timeoutMs, ScheduledExecutorService timers) {
        this.host = host;
        this.port = port;
        this.timeoutMs = timeoutMs;
        this.timers = timers;
    }

    @Override
    public CompletableFuture<CheckResult> run() {
        String what = "tcp " + host + ":" + port;
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        AsynchronousSocketChannel ch;
        try {
            ch = AsynchronousSocketChannel.open();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(CheckResult.fail(what + ": " + e.getMessage()));
        }
        java.util.concurrent.ScheduledFuture<?> timeout = timers.schedule(() -> {
            if (out.complete(CheckResult.fail(what + ": no answer within " + timeoutMs + " ms"))) close(ch);
        }, timeoutMs, TimeUnit.MILLISECONDS);
        // an answered check leaves no timer behind (100 agents probed every second would keep 100 waiting)
        out.whenComplete((r, t) -> timeout.cancel(false));
        try {
            ch.connect(new InetSocketAddress(host, port), null, new CompletionHandler<Void, Void>() {
                @Override
                public void completed(Void v, Void a) {
                    out.complete(CheckResult.pass(what + " accepted"));
                    close(ch);
                }

                @Override
                public void failed(Throwable t, Void a) {
                    out.complete(CheckResult.fail(what + ": " + (t instanceof java.net.ConnectException ? "connection refused"
                            : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())));
                    close(ch);
                }
            });
        } catch (RuntimeException e) {
            out.complete(CheckResult.fail(what + ": " + e.getMessage()));
            close(ch);
        }
        return out;
    }

    private static void close(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }
}

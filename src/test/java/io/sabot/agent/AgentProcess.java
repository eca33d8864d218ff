package io.sabot.agent;

import io.sabot.protocol.ProtocolCodec;
import io.sabot.protocol.ProtocolMessages.ToEngine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Test harness: one real agent process. Collects its protocol messages from stdout (with arrival
 * times), sends stdin lines, waits with timeouts, and kills the process by PID on close.
 */
final class AgentProcess implements AutoCloseable {
    record Msg(ToEngine message, long nanos) {}

    final Process process;
    final long pid;
    final long startNanos;
    final Path stderrFile;
    private final Object lock = new Object();
    private final List<Msg> messages = new ArrayList<>();
    private final List<String> logLines = new ArrayList<>();
    private final OutputStream stdin;
    private boolean stdoutClosed;

    private AgentProcess(Process process, long startNanos, Path stderrFile) {
        this.process = process;
        this.pid = process.pid();
        this.startNanos = startNanos;
        this.stderrFile = stderrFile;
        this.stdin = process.getOutputStream();
        Thread t = new Thread(this::readStdout, "agent-stdout-" + pid);
        t.setDaemon(true);
        t.start();
    }

    /** The java running these tests, as the brief asks. */
    static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Starts {@code AgentMain kind} (or {@link TestAgentMain} when {@code env} asks for a fault) with the test class path and {@code jvmFlags}. */
    static AgentProcess start(String kind, Path home, Map<String, String> env, List<String> jvmFlags) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(javaCommand());
        argv.addAll(jvmFlags);
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        boolean faults = env.keySet().stream().anyMatch(k -> k.startsWith("SABOT_TEST_"));
        argv.add(faults ? TestAgentMain.MAIN_CLASS : BuiltinLauncher.MAIN_CLASS);
        argv.add(kind);
        return startArgv(argv, home, env);
    }

    static AgentProcess start(String kind, Path home, Map<String, String> env) throws IOException {
        return start(kind, home, env, BuiltinLauncher.BASE_FLAGS.subList(0, BuiltinLauncher.BASE_FLAGS.size()));
    }

    static AgentProcess startArgv(List<String> argv, Path home, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("SABOT_HOME", home.toString());
        pb.environment().put("SABOT_PROTOCOL", "1");
        pb.environment().putIfAbsent("SABOT_INSTANCE", "test-0");
        pb.environment().putAll(env);
        Files.createDirectories(home);
        Path err = Files.createTempFile(home, "agent-", ".stderr");
        pb.redirectError(err.toFile());
        long t0 = System.nanoTime();
        return new AgentProcess(pb.start(), t0, err);
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                long now = System.nanoTime();
                ToEngine m = null;
                try {
                    m = ProtocolCodec.decodeAgentLine(line);
                } catch (ProtocolCodec.ProtocolException e) {
                    line = "INVALID PROTOCOL LINE: " + line;
                }
                synchronized (lock) {
                    if (m != null) messages.add(new Msg(m, now));
                    else logLines.add(line);
                    lock.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // process gone
        } finally {
            synchronized (lock) {
                stdoutClosed = true;
                lock.notifyAll();
            }
        }
    }

    void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        synchronized (stdin) {
            stdin.write(bytes);
            stdin.flush();
        }
    }

    void closeStdin() throws IOException {
        stdin.close();
    }

    List<Msg> messages() {
        synchronized (lock) {
            return new ArrayList<>(messages);
        }
    }

    <T extends ToEngine> List<T> all(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Msg m : messages()) if (type.isInstance(m.message())) out.add(type.cast(m.message()));
        return out;
    }

    List<String> logLines() {
        synchronized (lock) {
            return new ArrayList<>(logLines);
        }
    }

    String stderr() {
        try {
            return Files.readString(stderrFile);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    /** Waits for the first message (from index {@code from}) of {@code type} matching {@code p}. */
    <T extends ToEngine> Msg awaitMsg(Class<T> type, Predicate<T> p, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            int i = from;
            while (true) {
                for (; i < messages.size(); i++) {
                    Msg m = messages.get(i);
                    if (type.isInstance(m.message()) && p.test(type.cast(m.message()))) return m;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || stdoutClosed) {
                    throw new AssertionError("timed out after " + timeout + " waiting for " + type.getSimpleName()
                            + " (stdout closed: " + stdoutClosed + ")\nmessages: " + tail(messages) + "\nstderr:\n" + stderr());
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    <T extends ToEngine> T await(Class<T> type, Predicate<T> p, Duration timeout) throws InterruptedException {
        return type.cast(awaitMsg(type, p, 0, timeout).message());
    }

    <T extends ToEngine> T await(Class<T> type, Duration timeout) throws InterruptedException {
        return await(type, x -> true, timeout);
    }

    int messageCount() {
        synchronized (lock) {
            return messages.size();
        }
    }

    private static String tail(List<Msg> ms) {
        int from = Math.max(0, ms.size() - 15);
        StringBuilder b = new StringBuilder();
        for (Msg m : ms.subList(from, ms.size())) b.append("\n  ").append(m.message());
        return b.toString();
    }

    /** Waits for the process to exit; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process " + pid + " still alive after " + timeout + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Kills the process by PID (SIGKILL) if it is still alive. */
    @Override
    public void close() throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(h -> {
            if (h.isAlive()) h.destroyForcibly();
        });
        process.waitFor(10, TimeUnit.SECONDS);
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Resident set size from /proc/PID/status, in bytes. */
    long rssBytes() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
        return -1;
    }
}

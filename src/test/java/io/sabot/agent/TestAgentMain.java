package io.sabot.agent;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A built-in agent with fault injection, for tests only: reads the {@code SABOT_TEST_*}
 * variables, arranges the fault, then runs the real {@link AgentMain}. Production agents know
 * nothing of these.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><td>SABOT_TEST_HANG_AFTER_MS</td><td>after this many ms, hang: the agent's stdout blocks, so its
 *   consumer loop stops at its next heartbeat; SIGTERM is then ignored (only SIGKILL or stdin EOF end it)</td></tr>
 * <tr><td>SABOT_TEST_ALLOC_MB</td><td>allocate and touch this many MiB off-heap and hold it</td></tr>
 * <tr><td>SABOT_TEST_BUSY</td><td>{@code 1} (or N) threads spinning in a busy loop</td></tr>
 * <tr><td>SABOT_TEST_HALT_AT_COMMIT</td><td>{@code N:DIR}: the N-th {@code commit} message is never written, the
 *   process halts instead (once per instance: a marker file in DIR). A stateful agent's batch is then in its
 *   changelog but its input offset not committed: the uncommitted tail the next owner must skip</td></tr>
 * </table>
 */
public final class TestAgentMain {
    public static final String MAIN_CLASS = "io.sabot.agent.TestAgentMain";

    private TestAgentMain() {}

    /** The engine's argv for a built-in agent, with this entry point instead of {@link AgentMain}. */
    public static List<String> argv(List<String> builtinArgv) {
        return builtinArgv.stream().map(a -> a.equals(BuiltinLauncher.MAIN_CLASS) ? MAIN_CLASS : a).toList();
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        long hangAfter = num(env, "SABOT_TEST_HANG_AFTER_MS", -1);
        long allocMb = Math.max(0, num(env, "SABOT_TEST_ALLOC_MB", 0));
        int busy = (int) Math.max(0, Math.min(64, num(env, "SABOT_TEST_BUSY", 0)));
        if (hangAfter >= 0) {
            HangingOut out = new HangingOut(new FileOutputStream(FileDescriptor.out), System.currentTimeMillis() + hangAfter);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            // the agent's own hook gives up draining after its timeout; this one keeps a hung agent from exiting on SIGTERM
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (out.hung) while (true) LockSupport.park();
            }, "sabot-test-hang"));
        }
        String haltAt = env.get("SABOT_TEST_HALT_AT_COMMIT");
        if (haltAt != null && !haltAt.isBlank()) {
            int colon = haltAt.indexOf(':');
            java.nio.file.Path marker = java.nio.file.Path.of(haltAt.substring(colon + 1))
                    .resolve("halted-" + env.getOrDefault("SABOT_INSTANCE", "agent"));
            if (!java.nio.file.Files.exists(marker)) {
                System.setOut(new PrintStream(new HaltingOut(new FileOutputStream(FileDescriptor.out),
                        Long.parseLong(haltAt.substring(0, colon).trim()), marker), true, StandardCharsets.UTF_8));
            }
        }
        if (busy > 0) TestHooks.busy(busy);
        if (allocMb > 0) TestHooks.allocate(allocMb, System.err);
        AgentMain.main(args);
    }

    /** An stdout that, from a moment on, never returns from a write: the loop writing heartbeats hangs on it. */
    static final class HangingOut extends OutputStream {
        private final OutputStream out;
        private final long hangAtMs;
        volatile boolean hung;

        HangingOut(OutputStream out, long hangAtMs) {
            this.out = out;
            this.hangAtMs = hangAtMs;
        }

        private void maybeHang() {
            if (!hung && System.currentTimeMillis() < hangAtMs) return;
            if (!hung) System.err.println("SABOT_TEST_HANG_AFTER_MS: hanging now (no more heartbeats)");
            hung = true;
            while (true) LockSupport.park(this);
        }

        @Override
        public void write(int b) throws IOException {
            maybeHang();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            maybeHang();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException { out.flush(); }
    }

    /** An stdout that halts the process instead of writing its N-th commit message. */
    static final class HaltingOut extends OutputStream {
        private final OutputStream out;
        private final java.nio.file.Path marker;
        private long commitsLeft;

        HaltingOut(OutputStream out, long n, java.nio.file.Path marker) {
            this.out = out;
            this.commitsLeft = n;
            this.marker = marker;
        }

        @Override
        public void write(int b) throws IOException { out.write(b); }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (new String(b, off, len, StandardCharsets.UTF_8).contains("{\"type\":\"commit\"") && --commitsLeft == 0) {
                java.nio.file.Files.writeString(marker, "halted\n");
                System.err.println("SABOT_TEST_HALT_AT_COMMIT: halting instead of committing");
                System.err.flush();
                Runtime.getRuntime().halt(9);
            }
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException { out.flush(); }
    }

    private static long num(Map<String, String> env, String key, long dflt) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return dflt;
        return Long.parseLong(v.trim());
    }
}

package io.sabot.probe;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An exec check: the argv runs (no shell) in the agent's folder with the agent's environment;
 * exit 0 passes. Waiting is the JDK's process reaper's job and the output is read on the probes'
 * I/O pool, so no thread blocks on the command; past the timeout it is killed (its children too).
 */
final class ExecCheck implements Check {
    private static final int KEEP = 2048;
    private final List<String> argv;
    private final Path workdir;
    private final Map<String, String> env;
    private final long timeoutMs;
    private final Executor io;

    ExecCheck(List<String> argv, Path workdir, Map<String, String> env, long timeoutMs, Executor io) {
        this.argv = List.copyOf(argv);
        this.workdir = workdir;
        this.env = Map.copyOf(env);
        this.timeoutMs = timeoutMs;
        this.io = io;
    }

    @Override
    public CompletableFuture<CheckResult> run() {
        String what = "exec " + String.join(" ", argv);
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (workdir != null) pb.directory(workdir.toFile());
            pb.environment().putAll(env);
            p = pb.start();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(CheckResult.fail(what + ": cannot run it: " + e.getMessage()));
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> lastLine(p.getInputStream()), io);
        return p.onExit().orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handle((done, t) -> {
            if (t != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return CheckResult.fail(what + ": no answer within " + timeoutMs + " ms");
            }
            String out = output.getNow("");
            int code = p.exitValue();
            return code == 0 ? CheckResult.pass(what + " exited 0")
                    : CheckResult.fail(what + " exited with code " + code + (out.isEmpty() ? "" : ": " + out));
        });
    }

    /** The last non-empty line of the command's output (at most 2 KiB kept), for the reason. */
    private static String lastLine(InputStream in) {
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                tail.write(buf, 0, n);
                if (tail.size() > KEEP * 2) {
                    byte[] b = tail.toByteArray();
                    tail.reset();
                    tail.write(b, b.length - KEEP, KEEP);
                }
            }
        } catch (IOException ignored) {
            // the command ended or was killed
        }
        String s = tail.toString(StandardCharsets.UTF_8).strip();
        int nl = s.lastIndexOf('\n');
        String last = nl >= 0 ? s.substring(nl + 1).strip() : s;
        return last.length() > 200 ? last.substring(0, 200) + "..." : last;
    }
}

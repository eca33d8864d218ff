package io.sabot.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The CLI as its own process ({@code java io.sabot.Main ARGS}) with an environment of the test's choosing. */
public final class CliProcess {
    private CliProcess() {}

    public static Daemon.Result run(Map<String, String> env, Path tmp, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> argv = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.sabot.Main"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().remove("SABOT_HOST");
        pb.environment().remove("SABOT_SSH_COMMAND");
        if (env != null) pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "cli", ".out"), err = Files.createTempFile(tmp, "cli", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError("sabot " + String.join(" ", args) + " did not end within 120 s");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Daemon.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}

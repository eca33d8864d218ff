package io.sabot.engine;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.util.List;

/**
 * How an engine is put together: its home, how many instance operations a bulk call runs at
 * once, the tracer (no-op unless telemetry is wired in), the store's durability barrier, and how
 * built-in agents are launched.
 */
public record EngineConfig(
        Path home,
        int bulkParallelism,
        Tracer tracer,
        Durability durability,
        BuiltinCommand builtins,
        long logMaxBytes) {

    /** Builds the argv of a built-in agent kind (a child JVM on the application's class path). */
    @FunctionalInterface
    public interface BuiltinCommand {
        List<String> argv(String kind, Integer memoryMb);
    }

    public static EngineConfig defaults(Path home) {
        return new EngineConfig(home, 32, OpenTelemetry.noop().getTracer("sabot"), Durability.NONE,
                (kind, mb) -> defaultBuiltin(home, kind, mb), 10L * 1024 * 1024);
    }

    public EngineConfig withTracer(Tracer t) { return new EngineConfig(home, bulkParallelism, t, durability, builtins, logMaxBytes); }

    public EngineConfig withDurability(Durability d) { return new EngineConfig(home, bulkParallelism, tracer, d, builtins, logMaxBytes); }

    public EngineConfig withBuiltins(BuiltinCommand b) { return new EngineConfig(home, bulkParallelism, tracer, durability, b, logMaxBytes); }

    /** The same Java runtime and class path as this JVM, small-footprint flags, a class-data archive in the home. */
    static List<String> defaultBuiltin(Path home, String kind, Integer memoryMb) {
        return io.sabot.agent.BuiltinLauncher.argv(kind, memoryMb == null ? 0 : memoryMb, home.resolve("cds"));
    }
}

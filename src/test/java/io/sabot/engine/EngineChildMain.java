package io.sabot.engine;

import io.sabot.spec.SpecParser;
import java.nio.file.Path;

/**
 * A standalone engine for crash tests: deploys the spec given as JSON, starts everything, prints
 * {@code PIDS p1 p2 ...} (agents and their children) and waits to be killed.
 */
public final class EngineChildMain {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        LocalEngine engine = new LocalEngine(EngineConfig.defaults(home));
        engine.deploy(SpecParser.parse(args[1], false, "arg", home));
        engine.start(Selection.everything(), null, null);
        StringBuilder sb = new StringBuilder("PIDS");
        for (long pid : engine.livePids().values()) sb.append(' ').append(pid);
        System.out.println("WATCHDOG " + engine.watchdog().pid());
        System.out.println(sb);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

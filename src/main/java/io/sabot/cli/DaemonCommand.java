package io.sabot.cli;

import io.sabot.host.EngineHost;
import io.sabot.store.HomeLockedException;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sabot daemon}: the engine, headless, until SIGTERM/SIGINT; then agents are stopped gracefully and it exits 0. */
@Command(name = "daemon", description = "Run the engine headless until SIGTERM/SIGINT (agents are then stopped gracefully).", mixinStandardHelpOptions = true)
public final class DaemonCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Override
    public Integer call() throws IOException, InterruptedException {
        common.requireLocal("daemon");
        EngineHost host;
        try {
            host = EngineHost.open(common.home(), "daemon");
        } catch (HomeLockedException e) {
            spec.commandLine().getErr().println("sabot daemon: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.NO_ENGINE;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(stop::countDown);
        // if the JVM is ended some other way, still stop the agents
        Thread hook = new Thread(host::close, "sabot-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.err.printf("sabot daemon: engine pid %d on %s (socket %s)%n", ProcessHandle.current().pid(), common.home(),
                common.home().resolve("control.sock"));
        stop.await();
        System.err.println("sabot daemon: stopping agents");
        host.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        return ExitCodes.OK;
    }
}

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
    @picocli.CommandLine.Option(names = "--metrics-listen", paramLabel = "[HOST:]PORT",
            description = "serve OpenMetrics at http://HOST:PORT/metrics (HOST defaults to 127.0.0.1; off unless given)") String metricsListen;
    @picocli.CommandLine.Option(names = "--log-budget-mb", paramLabel = "MB",
            description = "the most all agent logs of this home may take together (default: SABOT_LOG_BUDGET_MB, else a quarter of the file system holding the home, at most 2048)") Long logBudgetMb;

    @Override
    public Integer call() throws IOException, InterruptedException {
        common.requireLocal("daemon");
        if (metricsListen != null) io.sabot.export.MetricsExport.Listen.parse(metricsListen); // bad input before anything starts
        if (logBudgetMb != null) {
            if (logBudgetMb < 1 || logBudgetMb > 1L << 30) throw new IllegalArgumentException("--log-budget-mb must be from 1 to 1073741824, was " + logBudgetMb);
            System.setProperty("sabot.logs.budgetBytes", Long.toString(logBudgetMb << 20)); // read when the logs folder's budget is made
        }
        EngineHost host;
        try {
            host = EngineHost.open(common.home(), "daemon");
        } catch (HomeLockedException e) {
            spec.commandLine().getErr().println("sabot daemon: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.NO_ENGINE;
        }
        if (metricsListen != null) {
            try {
                int port = host.operations().metrics().listen(metricsListen);
                System.err.printf("sabot daemon: metrics on http://%s:%d/metrics%n", io.sabot.export.MetricsExport.Listen.parse(metricsListen).host(), port);
            } catch (IOException e) {
                host.close();
                spec.commandLine().getErr().println("sabot daemon: cannot listen on " + metricsListen + " for metrics: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCodes.BAD_INPUT;
            }
        }
        io.sabot.host.IdleCollection.start(host.engine()); // its thread is a daemon: it ends with the JVM
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

package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sabot metrics}: the OpenMetrics text exposition (the same as the daemon's optional {@code --metrics-listen}). */
@Command(name = "metrics", description = "OpenMetrics text of the engine, its instances and consumer lag (for Prometheus: sabot daemon --metrics-listen 127.0.0.1:PORT).",
        mixinStandardHelpOptions = true)
public final class MetricsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        try (RemoteEngine e = common.connect()) {
            spec.commandLine().getOut().print(e.metricsText());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}

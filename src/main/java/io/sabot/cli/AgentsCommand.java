package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.DeployResult;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sabot agents ...}: deploy, remove, start, stop, restart, status, logs. */
@Command(name = "agents", description = "Deploy, start, stop, restart and inspect agents.", mixinStandardHelpOptions = true,
        subcommands = {AgentsCommand.Deploy.class, AgentsCommand.Remove.class, AgentsCommand.Start.class, AgentsCommand.Stop.class,
                AgentsCommand.Restart.class, AgentsCommand.Status.class, AgentsCommand.Logs.class,
                AgentsWhyCommand.class, AgentsHistoryCommand.class})
public final class AgentsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.BAD_INPUT;
    }

    static PrintWriter out(CommandSpec s) { return s.commandLine().getOut(); }

    static PrintWriter err(CommandSpec s) { return s.commandLine().getErr(); }

    @Command(name = "deploy", description = "Add or replace agents (and topics) from a spec file (JSON, or YAML for .yaml/.yml).", mixinStandardHelpOptions = true)
    static final class Deploy implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "FILE", description = "the spec file") Path file;

        @Override
        public Integer call() throws SpecException {
            FleetSpec fleet = SpecParser.parseFile(file); // bad input is reported before looking for an engine
            try (RemoteEngine e = common.connect()) {
                DeployResult r;
                try {
                    r = e.deploy(fleet);
                } catch (SpecException ex) {
                    // what only the engine can check (a topic shrinking, limits) still names the file
                    throw new SpecException(file.toString(), ex.errors());
                }
                PrintWriter out = out(spec);
                out.printf("deployed %s: %d added %s, %d changed %s, %d unchanged; topics %s%n", file,
                        r.added().size(), r.added(), r.changed().size(), r.changed(), r.unchanged().size(), r.topics());
                Output.notices(err(spec), e);
                if (!r.results().isEmpty()) return Output.results(out, err(spec), "restarted", r.results());
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "remove", description = "Stop and forget agents.", mixinStandardHelpOptions = true)
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "NAME", arity = "1..*", description = "agent names") List<String> names;

        @Override
        public Integer call() {
            try (RemoteEngine e = common.connect()) {
                return Output.withNotices(err(spec), e, Output.results(out(spec), err(spec), "removed", e.remove(names)));
            }
        }
    }

    @Command(name = "start", description = "Start agents (their dependencies first). --concurrency N scales the named agents to N instances.", mixinStandardHelpOptions = true)
    static final class Start implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @ArgGroup(exclusive = false, multiplicity = "1") Targets targets = new Targets();
        @Option(names = "--concurrency", paramLabel = "N", description = "instances per named agent (1..1000)") Integer concurrency;
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long to wait for each instance to be RUNNING (default: the spec's startTimeoutMs)") Double timeout;

        @Override
        public Integer call() {
            if (concurrency != null && (concurrency < 1 || concurrency > SpecParser.MAX_CONCURRENCY)) {
                throw new IllegalArgumentException("--concurrency must be between 1 and " + SpecParser.MAX_CONCURRENCY + ", was " + concurrency);
            }
            Selection sel = targets.selection();
            Long timeoutMs = millis(timeout); // bad input is reported before looking for an engine
            try (RemoteEngine e = common.connect()) {
                return Output.withNotices(err(spec), e, Output.results(out(spec), err(spec), "started", e.start(sel, concurrency, timeoutMs)));
            }
        }
    }

    @Command(name = "stop", description = "Stop agents: SIGTERM, the grace, then SIGKILL of the whole process tree.", mixinStandardHelpOptions = true)
    static final class Stop implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @ArgGroup(exclusive = false, multiplicity = "1") Targets targets = new Targets();
        @Option(names = "--force", description = "SIGKILL at once") boolean force;
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "grace before SIGKILL (default: the spec's stopGraceMs)") Double timeout;

        @Override
        public Integer call() {
            Selection sel = targets.selection();
            Long timeoutMs = millis(timeout);
            try (RemoteEngine e = common.connect()) {
                return Output.withNotices(err(spec), e, Output.results(out(spec), err(spec), "stopped", e.stop(sel, force, timeoutMs)));
            }
        }
    }

    @Command(name = "restart", description = "Restart agents, all at once or (--rolling) one instance at a time.", mixinStandardHelpOptions = true)
    static final class Restart implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @ArgGroup(exclusive = false, multiplicity = "1") Targets targets = new Targets();
        @Option(names = "--rolling", description = "one instance at a time, each RUNNING before the next") boolean rolling;
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long to wait for each instance to be RUNNING again") Double timeout;

        @Override
        public Integer call() {
            Selection sel = targets.selection();
            Long timeoutMs = millis(timeout);
            try (RemoteEngine e = common.connect()) {
                return Output.withNotices(err(spec), e, Output.results(out(spec), err(spec), "restarted", e.restart(sel, rolling, timeoutMs)));
            }
        }
    }

    @Command(name = "status", description = "Instances with state, pid, uptime, restarts, CPU, memory, health and partitions.", mixinStandardHelpOptions = true)
    static final class Status implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "NAME", arity = "0..*", description = "agents or instances (default: all)") List<String> names;
        @Option(names = "--json", description = "a JSON array, one object per instance") boolean json;

        @Override
        public Integer call() {
            try (RemoteEngine e = common.connect()) {
                List<InstanceStatus> all = e.status(names == null || names.isEmpty() ? Selection.everything() : Selection.of(names));
                if (json) {
                    out(spec).println(Output.json(all));
                    out(spec).flush();
                } else if (all.isEmpty()) {
                    out(spec).println("no agents deployed (sabot agents deploy FILE)");
                    out(spec).flush();
                } else {
                    Output.status(out(spec), all);
                }
                if (!json) Output.storeProblem(err(spec), e);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "logs", description = "An agent's captured output (stdout and stderr).", mixinStandardHelpOptions = true)
    static final class Logs implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "NAME", description = "agent name, or instance NAME-I") String name;
        @Option(names = "--instance", paramLabel = "I", description = "instance index (default: 0, or every instance when several)") Integer instance;
        @Option(names = "--lines", paramLabel = "N", defaultValue = "100", description = "how many lines (default: ${DEFAULT-VALUE})") int lines;
        @Option(names = "--follow", description = "keep printing new lines until interrupted") boolean follow;

        @Override
        public Integer call() throws InterruptedException {
            if (lines < 0) throw new IllegalArgumentException("--lines must be >= 0, was " + lines);
            if (instance != null && instance < 0) throw new IllegalArgumentException("--instance must be >= 0, was " + instance);
            PrintWriter out = out(spec);
            List<String> ids;
            boolean many;
            try (RemoteEngine e = common.connect()) {
                if (instance != null) ids = List.of(name + "-" + instance);
                else ids = e.status(Selection.of(name)).stream().map(InstanceStatus::id).toList();
                many = ids.size() > 1;
                for (String id : ids) {
                    if (many) out.println("==> " + id + " <==");
                    for (String l : e.logs(id, lines)) out.println(l);
                }
                out.flush();
                if (!follow) return ExitCodes.OK;
            }
            return follow(ids, many, out);
        }

        /**
         * Follows until interrupted (Ctrl-C ends the JVM) or an instance goes away. A dropped
         * connection is reported on stderr (reconnecting, then unreachable with the reason) and
         * reconnected with backoff; lines written meanwhile are not replayed.
         */
        private int follow(List<String> ids, boolean many, PrintWriter out) throws InterruptedException {
            PrintWriter err = err(spec);
            io.sabot.multihost.HostConnection conn = common.reconnecting();
            conn.watch(st -> {
                synchronized (out) {
                    out.flush();
                    err.println("sabot: " + conn.label() + ": " + st.describe());
                    err.flush();
                }
            });
            CountDownLatch ended = new CountDownLatch(1);
            int[] code = {ExitCodes.OK};
            conn.connect();
            for (String id : ids) {
                conn.followLogs(id, l -> {
                    synchronized (out) {
                        out.println(many ? "[" + id + "] " + l : l);
                        out.flush();
                    }
                }, ex -> {
                    synchronized (out) {
                        err.println("sabot: stopped following " + id + ": " + ex.getMessage());
                        err.flush();
                    }
                    code[0] = ExitCodes.PARTIAL;
                    ended.countDown();
                });
            }
            Runtime.getRuntime().addShutdownHook(new Thread(conn::close));
            ended.await();
            conn.close();
            return code[0];
        }
    }

    static Long millis(Double seconds) {
        if (seconds == null) return null;
        // written so that NaN fails too
        if (!(seconds > 0 && seconds <= 86_400)) throw new IllegalArgumentException("--timeout must be more than 0 and at most 86400 seconds, was " + seconds);
        return Math.round(seconds * 1000);
    }
}

package io.sabot.cli;

import io.sabot.control.NoEngineException;
import io.sabot.control.RemoteEngine;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.host.EngineHost;
import io.sabot.host.Homes;
import io.sabot.launch.BackgroundDaemon;
import io.sabot.launch.ConsoleUnavailable;
import io.sabot.launch.DisplayCheck;
import io.sabot.launch.JavaFxModules;
import io.sabot.launch.JnaProbe;
import io.sabot.launch.QuitChoice;
import io.sabot.launch.StopEverything;
import io.sabot.spec.DemoFleet;
import io.sabot.spec.SpecException;
import io.sabot.ui.ConsoleLauncher;
import io.sabot.ui.EngineLink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sabot console}: the desktop console. It attaches to the engine running on the home, and
 * when none runs it first starts one in the background ({@code sabot daemon}, detached, its log in
 * {@code <home>/logs/daemon.log}); so closing the window leaves the engine and its agents
 * running, unless the user chooses to stop them on quit. {@code --no-daemon} (and
 * {@code --screenshot}) host the engine in this process instead: closing stops the agents.
 *
 * <p>Before JavaFX starts, the display is checked ({@link DisplayCheck}); a console that cannot
 * open a window exits 4 with what is missing and how to install it. From {@code java -jar}, the
 * console relaunches itself with JavaFX as named modules ({@link JavaFxModules}).
 */
@Command(name = "console", description = "Open the desktop console (attached to the home's engine; starts one in the background when none runs).", mixinStandardHelpOptions = true)
public final class ConsoleCommand implements Callable<Integer> {
    static final Set<String> VIEWS = Set.of("agents", "partitions", "traces", "events", "hosts");
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Option(names = "--demo", arity = "0..1", fallbackValue = "embedded", paramLabel = "KIND",
            description = "deploy and start a demo: embedded (default: fraud_detector x3, enricher x2, alerter x1 on the embedded "
                    + "transactions stream, each agent its own consumer group) or kafka (the pipeline generator -> enricher -> "
                    + "fraud_detector -> alerter on Kafka: with --bootstrap on your cluster, else on a Kafka broker Sabot runs as an agent)")
    String demo;
    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,...]", description = "with --demo kafka: your Kafka cluster's bootstrap servers")
    String bootstrap;
    @Option(names = "--screenshot", paramLabel = "FILE", description = "render the window to a PNG and exit") Path screenshot;
    @Option(names = "--view", paramLabel = "V", defaultValue = "agents", description = "with --screenshot: agents, partitions, traces or events (default: ${DEFAULT-VALUE})") String view;
    @Option(names = "--after", paramLabel = "SECONDS", defaultValue = "3", description = "with --screenshot: wait this long for live data first (default: ${DEFAULT-VALUE})") double after;
    @Option(names = "--dark", description = "with --screenshot: the dark theme") boolean dark;
    @Option(names = "--open", paramLabel = "FILE", description = "open FILE once the window shows: a spec to deploy, or a PM2 ecosystem file, supervisord .conf or process-compose.yaml to import") Path open;
    @Option(names = "--no-daemon", description = "host the engine in this process instead of a background daemon (closing the window stops the agents)") boolean noDaemon;
    /** The command line as typed, for a relaunch with JavaFX modules (null: taken from the parse result). */
    List<String> relaunchArgs;
    @Option(names = "--size", paramLabel = "WxH", defaultValue = "1440x900", description = "with --screenshot: the window size (default: ${DEFAULT-VALUE})") String size;
    @Option(names = "--tab", paramLabel = "T", description = "with --screenshot --view agents: the detail tab, metrics, history, logs, spec or trends") String tab;

    @Override
    public Integer call() throws IOException, SpecException {
        if (!VIEWS.contains(view)) throw new IllegalArgumentException("--view must be one of " + new java.util.TreeSet<>(VIEWS) + ", was \"" + view + "\"");
        java.util.regex.Matcher sz = java.util.regex.Pattern.compile("(\\d{3,5})x(\\d{3,5})").matcher(size);
        if (!sz.matches()) throw new IllegalArgumentException("--size must be WIDTHxHEIGHT, such as 1280x800, was \"" + size + "\"");
        if (tab != null && !Set.of("metrics", "history", "logs", "spec", "trends").contains(tab)) {
            throw new IllegalArgumentException("--tab must be one of history, logs, metrics, spec, trends, was \"" + tab + "\"");
        }
        if (after < 0 || after > 3600) throw new IllegalArgumentException("--after must be between 0 and 3600 seconds, was " + after);
        if (screenshot != null && screenshot.getParent() != null && !Files.isDirectory(screenshot.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException("--screenshot: folder " + screenshot.toAbsolutePath().getParent() + " does not exist");
        }
        if (demo != null && !demo.equals("embedded") && !demo.equals("kafka")) {
            throw new IllegalArgumentException("--demo must be embedded or kafka, was \"" + demo + "\"");
        }
        if (bootstrap != null && !"kafka".equals(demo)) throw new IllegalArgumentException("--bootstrap goes with --demo kafka");
        if (bootstrap != null) {
            String problem = io.sabot.spec.KafkaClientChecks.bootstrapProblem(bootstrap);
            if (problem != null) throw new IllegalArgumentException("--bootstrap: " + problem);
        }
        if (open != null && !Files.isReadable(open)) throw new IllegalArgumentException("--open: " + open + " cannot be read (missing or no permission)");
        PrintWriter err = spec.commandLine().getErr();
        if (!"Monocle".equals(System.getProperty("glass.platform"))) {
            try {
                String note = DisplayCheck.check(System.getenv(), new JnaProbe());
                if (!note.isEmpty()) err.println(note);
            } catch (ConsoleUnavailable e) {
                return unavailable(e, err);
            }
            int code = JavaFxModules.relaunchIfNeeded(originalArgs(), System.getenv());
            if (code >= 0) return code;
        }
        Path home = common.home();
        EngineHost host = null;
        Engine engine;
        String label = "local";
        boolean startedHere = false;
        io.sabot.ssh.SshAddress remote = common.remote();
        if (remote != null) {
            // another host's engine, through ssh; it reconnects when the connection drops
            io.sabot.multihost.HostConnection conn = io.sabot.multihost.HostConnection.ssh(remote.label(), remote);
            if (!conn.connect()) {
                String why = conn.state().reason();
                conn.close();
                throw new NoEngineException(why);
            }
            engine = conn;
            label = remote.label();
            Files.createDirectories(home); // the console's preferences and Hosts list stay on this machine
            err.println("sabot console: attached to the engine on " + remote.display());
        } else {
            try {
                engine = new RemoteEngine(Homes.socket(home));
                err.println("sabot console: attached to the engine running on " + home);
            } catch (NoEngineException e) {
                if (noDaemon || screenshot != null) {
                    host = EngineHost.open(home, "console");
                    engine = host.engine();
                } else {
                    BackgroundDaemon.Started d = BackgroundDaemon.start(home, Duration.ofSeconds(60), () -> answers(home));
                    startedHere = true;
                    err.println("sabot console: started a background engine for " + home + " (pid " + d.pid() + ", log " + d.log()
                            + "); it keeps running when the window closes");
                    engine = new RemoteEngine(Homes.socket(home));
                }
            }
        }
        err.flush();
        EngineInfo info = engine.info();
        EngineLink link = new EngineLink(info.pid(), info.home(), host == null, startedHere);
        QuitChoice choice = QuitChoice.KEEP_RUNNING;
        // the console shows this engine's host and the hosts remembered in <home>/console-hosts.json
        io.sabot.multihost.HostsEngine hosts = new io.sabot.multihost.HostsEngine(label, engine);
        Engine primary = engine;
        engine = hosts;
        try {
            if (demo != null) startDemo(engine, demo, bootstrap);
            if (screenshot != null) {
                ConsoleLauncher.screenshot(engine, screenshot.toAbsolutePath(), view, after, dark,
                        Integer.parseInt(sz.group(1)), Integer.parseInt(sz.group(2)), tab);
                spec.commandLine().getOut().println("wrote " + screenshot.toAbsolutePath());
                spec.commandLine().getOut().flush();
            } else {
                choice = ConsoleLauncher.launch(engine, link, open == null ? null : open.toAbsolutePath(), new String[0], home);
            }
        } catch (RuntimeException | LinkageError t) {
            ConsoleUnavailable u = DisplayCheck.fromToolkitFailure(t, System.getenv());
            if (u == null) throw t;
            // a background engine started for this window alone is not left behind
            if (startedHere) choice = QuitChoice.STOP_EVERYTHING;
            return unavailable(u, err);
        } finally {
            hosts.close();
            if (host != null) host.close();
            else if (choice == QuitChoice.STOP_EVERYTHING && remote == null) StopEverything.run(primary, info.pid(), Duration.ofSeconds(120), err);
            else {
                primary.close();
                if (screenshot == null && remote == null) err.println("sabot console: the engine (pid " + info.pid() + ") and its agents keep running (stop them all with: kill " + info.pid() + ")");
            }
            err.flush();
        }
        return ExitCodes.OK;
    }

    private List<String> originalArgs() {
        if (relaunchArgs != null) return relaunchArgs;
        var root = spec.root().commandLine().getParseResult();
        return root == null ? List.of("console") : root.originalArgs();
    }

    private static boolean answers(Path home) {
        try (RemoteEngine e = new RemoteEngine(Homes.socket(home))) {
            return e.info() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int unavailable(ConsoleUnavailable e, PrintWriter err) {
        err.println("sabot console: " + e.getMessage());
        err.flush();
        return ExitCodes.CONSOLE_UNAVAILABLE;
    }

    /** Deploys the demo fleet (unless its agents are there already) and starts it. */
    static void startDemo(Engine engine) throws SpecException {
        startDemo(engine, "embedded", null);
    }

    /**
     * Deploys and starts a demo. {@code kafka} without a bootstrap runs Sabot's own broker agent on
     * free loopback ports, chosen once: a later start on the same home reuses the deployed ports.
     */
    static void startDemo(Engine engine, String kind, String bootstrap) throws SpecException {
        if ("kafka".equals(kind)) {
            int port = 0, controller = 0;
            if (bootstrap == null) {
                for (io.sabot.spec.AgentSpec a : engine.spec().agents()) {
                    if (a.name().equals(DemoFleet.BROKER_AGENT) && "kafka-broker".equals(a.builtin())) {
                        port = Integer.parseInt(a.env().getOrDefault("SABOT_KAFKA_PORT", "0"));
                        controller = Integer.parseInt(a.env().getOrDefault("SABOT_KAFKA_CONTROLLER_PORT", "0"));
                    }
                }
                try {
                    if (port <= 0) port = io.sabot.kafka.LocalBroker.freePort();
                    if (controller <= 0) controller = io.sabot.kafka.LocalBroker.freePort();
                } catch (IOException e) {
                    throw new IllegalStateException("no free port on 127.0.0.1 for the demo's Kafka broker: " + e.getMessage(), e);
                }
                if (io.sabot.kafka.LocalBroker.findJars() == null) {
                    System.err.println("sabot console: the Kafka broker part is not installed (kafka-broker/ beside sabot.jar); "
                            + "use --bootstrap HOST:PORT with your own Kafka, or build it: mvn -B generate-resources");
                }
            }
            engine.deploy(DemoFleet.kafkaPipeline(bootstrap, port, controller));
            List<LifecycleResult> rs = engine.start(Selection.everything(), null, null);
            long failed = rs.stream().filter(r -> !r.success()).count();
            if (failed > 0) System.err.println("sabot console: " + failed + " demo instances failed to start: "
                    + rs.stream().filter(r -> !r.success()).map(r -> r.instance() + ": " + r.error()).toList());
            return;
        }
        engine.deploy(DemoFleet.spec());
        List<LifecycleResult> rs = engine.start(Selection.everything(), null, null);
        long failed = rs.stream().filter(r -> !r.success()).count();
        if (failed > 0) System.err.println("sabot console: " + failed + " demo instances failed to start");
    }
}

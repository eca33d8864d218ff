package io.sabot.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker in a child JVM, from the optional broker part (a folder of the
 * Apache Kafka jars, see {@link #findJars}): the local pipeline demo's {@code kafka-broker} agent and
 * the test suite's broker. Loopback listeners only; its data and {@code server.properties} in a
 * folder of its own; formatted once (a random cluster id) and reused after. Guarantees:
 * <ul>
 *   <li>{@link #start} returns only once the broker answers an AdminClient (or throws, with the last
 *       lines of its log, and leaves no process behind);</li>
 *   <li>{@link #stop} ends the process (SIGTERM, then SIGKILL after the grace), the same data and
 *       ports serve a later {@link #start} with the same {@link Options}.</li>
 * </ul>
 */
public final class LocalBroker implements AutoCloseable {
    /** Where the broker's jars are looked for, besides {@link #findJars}'s defaults. */
    public static final String ENV_JARS = "SABOT_KAFKA_BROKER_DIR";
    public static final String PROP_JARS = "sabot.kafkaBroker";

    /**
     * @param jars        folder of the broker's jars (kafka_2.13 and its dependencies)
     * @param dataDir     the broker's own folder: server.properties, the log dirs, broker.log
     * @param port        client listener port on 127.0.0.1
     * @param controllerPort KRaft controller listener port on 127.0.0.1
     * @param heapMb      the broker JVM's -Xmx
     * @param ownSession  start it in a session of its own (setsid) so its group can be signalled;
     *                    false when it should die with its parent's group (the broker agent)
     */
    public record Options(Path jars, Path dataDir, int port, int controllerPort, int heapMb, boolean ownSession) {
        /** Free loopback ports, 384 MiB heap, own session. */
        public static Options of(Path jars, Path dataDir) throws IOException {
            return new Options(jars, dataDir, freePort(), freePort(), 384, true);
        }
    }

    private final Options options;
    private volatile Process process;

    private LocalBroker(Options options) {
        this.options = options;
    }

    public static LocalBroker start(Options o, Duration timeout) throws IOException {
        LocalBroker b = new LocalBroker(o);
        b.start(timeout);
        return b;
    }

    public Options options() { return options; }

    public String bootstrap() { return "127.0.0.1:" + options.port; }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public Process process() { return process; }

    /** Starts (again) with the same data and ports; waits until it answers. */
    public synchronized void start(Duration timeout) throws IOException {
        if (isAlive()) return;
        Files.createDirectories(options.dataDir);
        Path props = options.dataDir.resolve("server.properties");
        Files.writeString(props, serverProperties());
        Path log = options.dataDir.resolve("broker.log");
        if (!Files.exists(options.dataDir.resolve("data").resolve("meta.properties"))) {
            format(props, log, timeout);
        }
        process = launch(List.of("kafka.Kafka", props.toString()), log);
        try {
            awaitReady(timeout, log);
        } catch (IOException | RuntimeException e) {
            kill();
            throw e;
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL; returns when the process is gone. */
    public synchronized void stop(Duration grace) {
        Process p = process;
        if (p == null) return;
        p.toHandle().destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.toHandle().destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.toHandle().destroyForcibly();
        }
        process = null;
    }

    /** SIGKILL now. */
    public synchronized void kill() {
        Process p = process;
        if (p == null) return;
        p.toHandle().destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    String serverProperties() {
        Path data = options.dataDir.resolve("data").toAbsolutePath();
        return String.join("\n",
                "# written by Sabot (io.sabot.kafka.LocalBroker): a single-node KRaft broker on loopback",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + options.controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + options.port + ",CONTROLLER://127.0.0.1:" + options.controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + options.port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.segment.bytes=16777216",
                "log.retention.hours=24",
                "") ;
    }

    private void format(Path props, Path log, Duration timeout) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        Process p = launch(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString()), log);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.toHandle().destroyForcibly();
                throw new IOException("formatting the Kafka broker's storage in " + options.dataDir + " took over " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.toHandle().destroyForcibly();
            throw new IOException("interrupted while formatting the Kafka broker's storage");
        }
        if (p.exitValue() != 0) {
            throw new IOException("formatting the Kafka broker's storage failed (exit " + p.exitValue() + "): " + tail(log));
        }
    }

    private Process launch(List<String> mainAndArgs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (options.ownSession && Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx" + options.heapMb + "m", "-Xms64m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dkafka.logs.dir=" + options.dataDir.toAbsolutePath(), "-cp", options.jars.toAbsolutePath() + "/*"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.remove("KAFKA_OPTS");
        env.remove("JAVA_TOOL_OPTIONS");
        return pb.start();
    }

    private void awaitReady(Duration timeout, Path log) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // first the port (cheap), then a real answer from the broker
        while (!listening()) {
            if (!process.isAlive()) throw new IOException("the Kafka broker exited (code " + process.exitValue() + ") while starting: " + tail(log));
            if (System.nanoTime() > deadline) throw new IOException("the Kafka broker did not listen on " + bootstrap() + " within " + timeout.toSeconds() + " s: " + tail(log));
            sleep(100);
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        try (Admin a = Admin.create(p)) {
            while (true) {
                try {
                    if (!a.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) return;
                } catch (Exception e) {
                    // not ready yet
                }
                if (!process.isAlive()) throw new IOException("the Kafka broker exited (code " + process.exitValue() + ") while starting: " + tail(log));
                if (System.nanoTime() > deadline) throw new IOException("the Kafka broker on " + bootstrap() + " did not answer within " + timeout.toSeconds() + " s: " + tail(log));
                sleep(200);
            }
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A free TCP port on 127.0.0.1 (bound and released: others may take it in between, rarely). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /**
     * The broker part's folder: {@value #ENV_JARS}, the {@value #PROP_JARS} system property,
     * {@code kafka-broker/} beside the running jar (the app image's lib/app/), or
     * {@code target/kafka-broker} of a source tree. Null when none holds {@code kafka_2.13-*.jar}.
     */
    public static Path findJars() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv(ENV_JARS);
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        String prop = System.getProperty(PROP_JARS);
        if (prop != null && !prop.isBlank()) candidates.add(Path.of(prop));
        try {
            Path here = Path.of(LocalBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(here) ? here : here.getParent();
            candidates.add(dir.resolve("kafka-broker"));
            if (dir.getParent() != null) candidates.add(dir.getParent().resolve("kafka-broker")); // target/classes -> target/kafka-broker
        } catch (Exception ignored) {
            // no code source (unusual class loader): the other places still count
        }
        candidates.add(Path.of("target", "kafka-broker"));
        for (Path c : candidates) {
            if (hasBroker(c)) return c.toAbsolutePath().normalize();
        }
        return null;
    }

    static boolean hasBroker(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (var s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("kafka_2.13-") && p.toString().endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }
}

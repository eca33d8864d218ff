package io.sabot.kafka;

import io.sabot.protocol.ProtocolMessages;
import io.sabot.protocol.ProtocolReader;
import io.sabot.protocol.ProtocolWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code kafka-broker} built-in: a single-node KRaft Kafka broker supervised by Sabot like any
 * agent, for a user with no Kafka at all (the local pipeline demo). Its data lives under the home
 * ({@code $SABOT_HOME/kafka/AGENT/}), formatted on first start and kept after; the broker JVM is a
 * child of this agent, in its process group, so a kill of the agent ends the broker too. Says
 * {@code ready} once the broker answers; heartbeats while it runs; exits with the broker.
 *
 * <p>Environment: {@code SABOT_KAFKA_PORT} (client listener on 127.0.0.1, required),
 * {@code SABOT_KAFKA_CONTROLLER_PORT} (required), {@code SABOT_KAFKA_HEAP_MB} (default 384),
 * {@code SABOT_KAFKA_BROKER_DIR} (the broker part's jars, else found beside the application).
 */
public final class BrokerAgent {
    public static final String KIND = "kafka-broker";

    private BrokerAgent() {}

    public static int run(java.util.Map<String, String> env, ProtocolWriter out, java.io.PrintStream log) {
        String home = env.get("SABOT_HOME");
        String agent = env.getOrDefault("SABOT_AGENT", KIND);
        int port = num(env.get("SABOT_KAFKA_PORT"));
        int controller = num(env.get("SABOT_KAFKA_CONTROLLER_PORT"));
        if (home == null || port <= 0 || controller <= 0) {
            log.println("kafka-broker: needs SABOT_HOME, SABOT_KAFKA_PORT and SABOT_KAFKA_CONTROLLER_PORT (ports on 127.0.0.1)");
            return 2;
        }
        Path jars = LocalBroker.findJars();
        if (jars == null) {
            log.println("kafka-broker: the Kafka broker part is not installed (a folder kafka-broker/ of Apache Kafka jars beside "
                    + "sabot.jar, or SABOT_KAFKA_BROKER_DIR); build it with `mvn -B generate-resources` (target/kafka-broker) "
                    + "or point the demo at a Kafka you run: sabot console --demo kafka --bootstrap HOST:PORT");
            return 2;
        }
        Path data = Path.of(home, "kafka", agent);
        int heap = env.containsKey("SABOT_KAFKA_HEAP_MB") ? num(env.get("SABOT_KAFKA_HEAP_MB")) : 384;
        LocalBroker.Options o = new LocalBroker.Options(jars, data, port, controller, heap > 0 ? heap : 384, false);
        CountDownLatch stop = new CountDownLatch(1);
        Thread reader = new Thread(new ProtocolReader(System.in, new ProtocolReader.Handler() {
            @Override
            public void onMessage(ProtocolMessages.ToAgent m) {
                if (m instanceof ProtocolMessages.Drain) stop.countDown();
            }

            @Override
            public void onEof() {
                stop.countDown();
            }
        }, log), "sabot-stdin");
        reader.setDaemon(true);
        reader.start();
        LocalBroker broker;
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(data);
            log.println("kafka-broker: starting on 127.0.0.1:" + port + " (data " + data + ", jars " + jars + ")");
            broker = LocalBroker.start(o, Duration.ofSeconds(110));
        } catch (IOException e) {
            log.println("kafka-broker: " + e.getMessage());
            return 1;
        }
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            broker.stop(Duration.ofSeconds(10));
            out.write(new ProtocolMessages.Drained());
            Runtime.getRuntime().halt(0); // a stopped broker is a clean exit, as every built-in's
        }, "sabot-broker-stop"));
        log.println("kafka-broker: ready on " + broker.bootstrap() + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms (pid " + broker.pid() + ")");
        out.write(new ProtocolMessages.Ready());
        long beats = 0;
        try {
            while (broker.isAlive()) {
                if (stop.await(1, TimeUnit.SECONDS)) {
                    broker.stop(Duration.ofSeconds(10));
                    out.write(new ProtocolMessages.Drained());
                    return 0;
                }
                out.write(new ProtocolMessages.Heartbeat(0, 0, ++beats));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.get()) { // SIGTERM (to the whole group): the hook stops the broker and exits 0
            while (true) LockSupport.park();
        }
        Process p = broker.process();
        int code = p == null ? 1 : p.exitValue();
        log.println("kafka-broker: the broker exited with " + code + "; last lines: " + LocalBroker.tail(data.resolve("broker.log")));
        return code == 0 ? 1 : code;
    }

    private static int num(String v) {
        try {
            return v == null ? -1 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

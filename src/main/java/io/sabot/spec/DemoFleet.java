package io.sabot.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The demo fleet a first-time user sees: built-in {@code fraud_detector} x3, {@code enricher}
 * x2 and {@code alerter} x1 consuming a {@code transactions} topic of 12 partitions.
 */
public final class DemoFleet {
    static final String RESOURCE = "/io/sabot/spec/demo-fleet.json";

    private DemoFleet() {}

    public static String json() {
        try (InputStream in = DemoFleet.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("demo fleet spec missing from the application: " + RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the demo fleet spec: " + e.getMessage(), e);
        }
    }

    /** The agent name of the demo's own Kafka broker. */
    public static final String BROKER_AGENT = "kafka";

    /**
     * The pipeline demo: generator -> transactions -> enricher x2 -> enriched -> fraud_detector x3
     * -> alerts -> alerter, every topic of 12 partitions on a Kafka cluster. With {@code bootstrap}
     * it runs on the user's cluster (topics created if missing, the broker's replication default);
     * without, on a single-node broker that Sabot runs as the agent {@value #BROKER_AGENT} (its
     * data under the home) on the given loopback ports, every pipeline agent depending on it.
     */
    public static FleetSpec kafkaPipeline(String bootstrap, int brokerPort, int controllerPort) {
        boolean own = bootstrap == null;
        String boot = own ? "127.0.0.1:" + brokerPort : bootstrap;
        String dep = own ? ",\"dependsOn\":[\"" + BROKER_AGENT + "\"]" : "";
        String repl = own ? ",\"replication\":1" : "";
        StringBuilder b = new StringBuilder("{\"clusters\":[{\"name\":\"demo\",\"bootstrapServers\":\"").append(boot).append("\"}],\"topics\":[");
        String[] topics = {"transactions", "enriched", "alerts"};
        for (int i = 0; i < topics.length; i++) {
            if (i > 0) b.append(',');
            b.append("{\"name\":\"").append(topics[i]).append("\",\"cluster\":\"demo\",\"create\":true,\"partitions\":12").append(repl).append('}');
        }
        b.append("],\"agents\":[");
        if (own) {
            b.append("{\"name\":\"").append(BROKER_AGENT).append("\",\"builtin\":\"kafka-broker\",\"group\":\"kafka\",")
                    .append("\"env\":{\"SABOT_KAFKA_PORT\":\"").append(brokerPort).append("\",\"SABOT_KAFKA_CONTROLLER_PORT\":\"")
                    .append(controllerPort).append("\"},\"startTimeoutMs\":120000,\"stopGraceMs\":15000,")
                    .append("\"health\":{\"heartbeatTimeoutMs\":20000},\"limits\":{\"memoryMb\":768}},");
        }
        b.append("{\"name\":\"generator\",\"builtin\":\"generator\",\"outputs\":[\"transactions\"],\"group\":\"payments\",")
                .append("\"env\":{\"SABOT_GENERATOR_RATE\":\"200\"},\"stopGraceMs\":3000").append(dep).append("},");
        b.append("{\"name\":\"enricher\",\"builtin\":\"enricher\",\"concurrency\":2,\"topic\":\"transactions\",\"outputs\":[\"enriched\"],")
                .append("\"group\":\"payments\",\"stopGraceMs\":3000").append(dep).append("},");
        b.append("{\"name\":\"fraud_detector\",\"builtin\":\"fraud-detector\",\"concurrency\":3,\"topic\":\"enriched\",\"outputs\":[\"alerts\"],")
                .append("\"group\":\"payments\",\"stopGraceMs\":3000").append(dep).append("},");
        b.append("{\"name\":\"alerter\",\"builtin\":\"alerter\",\"topic\":\"alerts\",\"group\":\"alerts\",\"stopGraceMs\":3000").append(dep).append("}]}");
        try {
            return SpecParser.parse(b.toString(), false, "kafka pipeline demo", null);
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static FleetSpec spec() {
        try {
            return SpecParser.parse(json(), false, "demo fleet", null);
        } catch (SpecException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}

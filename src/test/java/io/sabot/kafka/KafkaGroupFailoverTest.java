package io.sabot.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.multihost.HostConnection;
import io.sabot.multihost.HostState;
import io.sabot.partition.GroupReader;
import io.sabot.partition.GroupSnapshot;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.KafkaBroker;
import io.sabot.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer group spread over two hosts (two daemons, each with its own home and host name) on a
 * real KRaft broker, coordinated by Kafka with Sabot's assignor: both hosts' instances share the
 * partitions; one host's daemon and its agents are SIGKILLed by PID; the other host's instances own
 * every partition again (measured: kill -> every partition owned), and every transaction is
 * enriched (no gap); the killed host comes back and takes its share again. The console's connection
 * to the killed host ({@link HostConnection}) reports it unreachable, then connected again.
 * Run: {@code mvn -B -Pmultihost-kafka test -Dtest=KafkaGroupFailoverTest}.
 */
@Tag("multihost-kafka")
class KafkaGroupFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    private Daemon a;
    private Daemon b;
    private HostConnection console;

    private static String spec(KafkaBroker k, String tx, String out, boolean generator) {
        String enricher = "{\"name\":\"enr\",\"builtin\":\"enricher\",\"concurrency\":2,\"topic\":\"" + tx + "\",\"outputs\":[\"" + out + "\"],"
                + "\"consumerGroup\":\"enr-" + tx + "\",\"stopGraceMs\":3000,\"env\":{\"SABOT_LINGER_MS\":\"50\",\"SABOT_BATCH\":\"200\"}}";
        String gen = "{\"name\":\"gen\",\"builtin\":\"generator\",\"concurrency\":1,\"outputs\":[\"" + tx + "\"],"
                + "\"env\":{\"SABOT_GENERATOR_RATE\":\"400\",\"SABOT_GENERATOR_LIMIT\":\"12000\"}}";
        return "{\"clusters\":[{\"name\":\"local\",\"bootstrapServers\":\"" + k.bootstrap() + "\","
                + "\"properties\":{\"linger.ms\":\"5\",\"session.timeout.ms\":\"6000\",\"heartbeat.interval.ms\":\"1000\"}}],"
                + "\"topics\":[{\"name\":\"" + tx + "\",\"cluster\":\"local\",\"create\":true,\"partitions\":6,\"replication\":1},"
                + "{\"name\":\"" + out + "\",\"cluster\":\"local\",\"create\":true,\"partitions\":6,\"replication\":1}],"
                + "\"consumerGroups\":[{\"name\":\"enr-" + tx + "\",\"coordination\":\"kafka\"}],"
                + "\"agents\":[" + enricher + (generator ? "," + gen : "") + "]}";
    }

    /** A daemon with its own host name (two "hosts" on one machine). */
    private static Daemon host(Path home, String name) throws Exception {
        return new Daemon(home, home.resolveSibling(home.getFileName() + "-daemon.log"), Map.of("SABOT_HOST_NAME", name), List.of());
    }

    private static List<Long> agentPids(Daemon d) throws Exception {
        List<Long> out = new ArrayList<>();
        Daemon.Result r = d.run("agents", "status", "--json");
        for (JsonNode n : JSON.readTree(r.out)) if (n.hasNonNull("pid")) out.add(n.get("pid").asLong());
        return out;
    }

    @Test
    void theOtherHostTakesEveryPartitionWhenOneHostDiesAndNothingIsSkipped() throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String tx = KafkaBroker.uniqueName("tx");
        String out = KafkaBroker.uniqueName("enriched");
        String group = "enr-" + tx;
        k.createTopic(tx, 6);
        k.createTopic(out, 6);
        GroupReader reader = new GroupReader(k.admin(), 5_000);
        Path specA = Files.writeString(tmp.resolve("a.json"), spec(k, tx, out, false));
        Path specB = Files.writeString(tmp.resolve("b.json"), spec(k, tx, out, true));
        a = host(tmp.resolve("home-a"), "host-a");
        List<Long> pids = new ArrayList<>();
        try {
            b = host(tmp.resolve("home-b"), "host-b");
            assertThat(a.run("agents", "deploy", specA.toString()).code).as(a.log()).isZero();
            assertThat(b.run("agents", "deploy", specB.toString()).code).as(b.log()).isZero();
            assertThat(a.run("agents", "start", "--all").code).isZero();
            assertThat(b.run("agents", "start", "enr").code).isZero();
            pids.addAll(agentPids(a));
            pids.addAll(agentPids(b));
            console = HostConnection.local("host-a", a.home.resolve("control.sock"));
            assertThat(console.connect()).isTrue();
            console.subscribe(e -> { }); // as the console does: a lost engine ends its event stream
            // four members on two hosts share the six partitions
            Await.until(Duration.ofSeconds(90), () -> {
                GroupSnapshot s = KafkaGroups.tryRead(reader, group, tx);
                if (s == null) return false; // the group does not exist yet (no member joined) or did not answer
                Set<String> hosts = new HashSet<>();
                s.partitions().forEach(p -> hosts.add(p.ownerHost()));
                return s.members().size() == 4 && s.fullyOwned() && hosts.equals(Set.of("host-a", "host-b"));
            }, () -> "both hosts in the group: " + KafkaGroups.describe(reader, group, tx));
            // host b's engine shows the whole group, host a's members named with their host
            Await.until(Duration.ofSeconds(30), () -> {
                JsonNode ps = tree(b_run(b, "partitions", "show", tx, "--json"));
                int owned = 0, remote = 0;
                for (JsonNode p : ps) {
                    if (!p.path("owner").isTextual()) continue;
                    owned++;
                    if (p.path("owner").asText().endsWith("@host-a")) remote++;
                }
                return owned == 6 && remote > 0;
            }, () -> "host b's partitions show " + b_run(b, "partitions", "show", tx, "--json") + "\n" + b.log());
            assertThat(b.run("agents", "start", "gen").code).isZero();
            pids.addAll(agentPids(b));
            Await.until(Duration.ofSeconds(30), () -> k.endOffsets(tx, 6).values().stream().mapToLong(Long::longValue).sum() > 1_000,
                    "records flowing");
            // host a dies: its daemon and its agents, SIGKILL by PID
            List<Long> aPids = agentPids(a);
            long t0 = System.nanoTime();
            Procs.sigkill(a.process.pid());
            for (long pid : aPids) Procs.sigkill(pid);
            Await.until(Duration.ofSeconds(60), () -> {
                GroupSnapshot s = KafkaGroups.tryRead(reader, group, tx);
                if (s == null) return false; // the group does not exist yet (no member joined) or did not answer
                return s.fullyOwned() && s.partitions().stream().allMatch(p -> "host-b".equals(p.ownerHost()));
            }, () -> "host b owns every partition: " + KafkaGroups.describe(reader, group, tx));
            long failoverMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("FAILOVER_MS=" + failoverMs + " (kill of host-a -> every partition of " + tx + " owned by host-b)");
            HostConnection hc = console;
            Await.until(Duration.ofSeconds(60), () -> hc.state().state() == HostState.Kind.UNREACHABLE,
                    () -> "the console shows host-a unreachable: " + hc.state().describe());
            assertThat(hc.state().reason()).contains("no engine running on home");
            // everything generated is enriched: no gap
            Await.until(Duration.ofSeconds(120), () -> {
                long end = k.endOffsets(tx, 6).values().stream().mapToLong(Long::longValue).sum();
                Map<Integer, Long> c = k.committed(group, tx);
                Map<Integer, Long> e = k.endOffsets(tx, 6);
                return end >= 12_000 && e.entrySet().stream().allMatch(x -> x.getValue().equals(c.get(x.getKey())));
            }, () -> "the group committed every record: ends " + k.endOffsets(tx, 6) + " committed " + k.committed(group, tx));
            Set<String> generated = txns(k.readAll(tx));
            Set<String> enriched = txns(k.readAll(out));
            assertThat(generated).hasSize(12_000);
            Set<String> missing = new HashSet<>(generated);
            missing.removeAll(enriched);
            assertThat(missing).as("transactions never enriched").isEmpty();
            // host a comes back: its instances join and take a share again
            a.closeQuietly();
            a = host(tmp.resolve("home-a"), "host-a");
            if (a.run("agents", "status", "--json").out.contains("\"STOPPED\"")) a.run("agents", "start", "--all");
            pids.addAll(agentPids(a));
            Await.until(Duration.ofSeconds(90), () -> {
                GroupSnapshot s = KafkaGroups.tryRead(reader, group, tx);
                if (s == null) return false; // the group does not exist yet (no member joined) or did not answer
                Set<String> hosts = new HashSet<>();
                s.partitions().forEach(p -> hosts.add(p.ownerHost()));
                return s.fullyOwned() && hosts.equals(Set.of("host-a", "host-b"));
            }, () -> "host a back in the group: " + KafkaGroups.describe(reader, group, tx));
            Await.until(Duration.ofSeconds(60), () -> hc.state().connected(), () -> "the console shows host-a back: " + hc.state().describe());
        } finally {
            if (console != null) console.close();
            for (Daemon d : new Daemon[] {a, b}) if (d != null) d.closeQuietly();
            for (long pid : pids) Procs.sigkill(pid);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    private static String b_run(Daemon d, String... args) {
        return d.run(args).out;
    }

    private static Set<String> txns(List<ConsumerRecord<String, String>> records) throws Exception {
        Set<String> out = new HashSet<>();
        for (ConsumerRecord<String, String> r : records) {
            JsonNode n = JSON.readTree(r.value());
            if (n.hasNonNull("txn")) out.add(n.get("txn").asText());
        }
        return out;
    }
}

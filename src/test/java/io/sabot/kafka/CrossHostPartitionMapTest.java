package io.sabot.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.control.RemoteEngine;
import io.sabot.control.Transport;
import io.sabot.control.UnixSocketTransport;
import io.sabot.engine.PartitionView;
import io.sabot.multihost.HostsEngine;
import io.sabot.partition.GroupReader;
import io.sabot.partition.GroupSnapshot;
import io.sabot.ssh.Ssh;
import io.sabot.ssh.SshAddress;
import io.sabot.testing.Await;
import io.sabot.testing.CliProcess;
import io.sabot.testing.Daemon;
import io.sabot.testing.KafkaBroker;
import io.sabot.testing.SshServer;
import io.sabot.ui.model.PartitionsModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partition map of a consumer group Kafka coordinates across two hosts (two daemons, each with
 * its own home and host name, one enricher instance each, on a real broker): each engine's
 * {@code partitions show --json} lists every partition of the group with its owner and that
 * owner's host ({@code host}, {@code coordination: "kafka"}), exactly as Kafka describes the group;
 * host b's rows also reach a CLI over ssh ({@code --host ssh://...}, where sshd is installed); the
 * console over both hosts ({@link HostsEngine}) draws the group as ONE lane ({@link
 * PartitionsModel#lanes}) with both hosts' owners, and a host filter shows that host's engine's
 * view of the whole group.
 */
class CrossHostPartitionMapTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(90);
    @TempDir
    Path tmp;

    private static String spec(KafkaBroker k, String tx, String out) {
        return "{\"clusters\":[{\"name\":\"local\",\"bootstrapServers\":\"" + k.bootstrap() + "\","
                + "\"properties\":{\"session.timeout.ms\":\"6000\",\"heartbeat.interval.ms\":\"1000\"}}],"
                + "\"topics\":[{\"name\":\"" + tx + "\",\"cluster\":\"local\",\"create\":true,\"partitions\":4,\"replication\":1},"
                + "{\"name\":\"" + out + "\",\"cluster\":\"local\",\"create\":true,\"partitions\":4,\"replication\":1}],"
                + "\"consumerGroups\":[{\"name\":\"enr-" + tx + "\",\"coordination\":\"kafka\"}],"
                + "\"agents\":[{\"name\":\"enr\",\"builtin\":\"enricher\",\"concurrency\":1,\"topic\":\"" + tx + "\",\"outputs\":[\"" + out + "\"],"
                + "\"consumerGroup\":\"enr-" + tx + "\",\"stopGraceMs\":3000}]}";
    }

    @Test
    void bothEnginesAndTheConsoleShowTheWholeGroupWithEachOwnersHost() throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String tx = KafkaBroker.uniqueName("tx");
        String out = KafkaBroker.uniqueName("enriched");
        String group = "enr-" + tx;
        k.createTopic(tx, 4);
        k.createTopic(out, 4);
        Path spec = Files.writeString(tmp.resolve("spec.json"), spec(k, tx, out));
        GroupReader reader = new GroupReader(k.admin(), 5_000);
        Path homeA = tmp.resolve("home-a"), homeB = tmp.resolve("home-b");
        Map<String, Path> logins = new LinkedHashMap<>();
        boolean ssh = SshServer.available();
        if (ssh) logins.put("sabot", SshServer.sabotOfThisBuild(tmp.resolve("bin")));
        try (Daemon a = host(homeA, "host-a"); Daemon b = host(homeB, "host-b");
             SshServer sshd = ssh ? new SshServer(tmp.resolve("sshd"), logins) : null) {
            for (Daemon d : List.of(a, b)) {
                assertThat(d.run("agents", "deploy", spec.toString()).code).as(d.log()).isZero();
                assertThat(d.run("agents", "start", "--all").code).as(d.log()).isZero();
            }
            // Kafka's own description: both hosts' members share the four partitions
            Await.until(T, () -> {
                GroupSnapshot s = KafkaGroups.tryRead(reader, group, tx);
                return s != null && s.state().equals("Stable") && s.members().size() == 2 && s.fullyOwned() && ownerHosts(s).equals(Set.of("host-a", "host-b"));
            }, () -> "both hosts in the group: " + KafkaGroups.describe(reader, group, tx));

            // each engine: every partition, its owner and the owner's host, as Kafka has them
            for (Daemon d : List.of(a, b)) {
                String me = d == a ? "host-a" : "host-b";
                Await.until(T, () -> agrees(rows(d.run("partitions", "show", tx, "--json").out), KafkaGroups.tryRead(reader, group, tx), me),
                        () -> me + "'s partitions show " + d.run("partitions", "show", tx, "--json").out + "\nKafka: " + KafkaGroups.describe(reader, group, tx));
                String table = d.run("partitions", "show", tx).out;
                assertThat(table).contains("HOST").contains("host-a").contains("host-b").contains("kafka-coordinated");
            }

            // host b's view through ssh, as a user's CLI gets it
            if (sshd != null) {
                Await.until(T, () -> {
                    Daemon.Result r = overSsh(sshd, homeB, "partitions", "show", tx, "--json");
                    return r.code == 0 && agrees(rows(r.out), KafkaGroups.tryRead(reader, group, tx), "host-b");
                }, () -> "host b over ssh: " + overSsh(sshd, homeB, "partitions", "show", tx, "--json") + "\nKafka: " + KafkaGroups.describe(reader, group, tx));
            }

            // the console over both hosts: ONE lane for the group, every partition with its owner's host
            Supplier<Transport> toB = sshd != null
                    ? () -> Ssh.connect(SshAddress.parse(sshd.url(homeB)), sshd.env("sabot"), true)
                    : () -> new UnixSocketTransport(homeB.resolve("control.sock"));
            try (RemoteEngine primary = new RemoteEngine(homeA.resolve("control.sock")); HostsEngine hosts = new HostsEngine("local", primary)) {
                hosts.addHost("web2", sshd != null ? sshd.url(homeB) : "ssh://web2", toB);
                Await.until(T, () -> hosts.partitions(null).stream().anyMatch(p -> p.topic().equals("web2/" + tx)),
                        () -> "web2's partitions reach the console: " + hosts.partitions(null));
                Await.until(T, () -> {
                    Map<String, List<PartitionView>> lanes = PartitionsModel.lanes(hosts.partitions(null), null, "local");
                    List<PartitionView> lane = lanes.get(PartitionsModel.laneKey(tx, group));
                    return lanes.keySet().stream().filter(l -> l.contains(tx)).count() == 1 && lane != null
                            && sameOwners(lane, KafkaGroups.tryRead(reader, group, tx));
                }, () -> "one lane with the group: " + PartitionsModel.lanes(hosts.partitions(null), null, "local").keySet()
                        + " " + PartitionsModel.lanes(hosts.partitions(null), null, "local") + "\nKafka: " + KafkaGroups.describe(reader, group, tx));
                List<PartitionView> lane = PartitionsModel.lanes(hosts.partitions(null), null, "local").get(PartitionsModel.laneKey(tx, group));
                assertThat(lane).extracting(PartitionView::partition).containsExactly(0, 1, 2, 3);
                assertThat(lane).allMatch(PartitionView::kafkaCoordinated);
                assertThat(lane.stream().map(PartitionView::host).distinct()).containsExactlyInAnyOrder("host-a", "host-b");
                // one host's view: that engine's lane, the whole group too
                Map<String, List<PartitionView>> onlyB = PartitionsModel.lanes(hosts.partitions(null), "web2", "local");
                assertThat(onlyB.keySet()).containsExactly(PartitionsModel.laneKey("web2/" + tx, "web2/" + group));
                assertThat(onlyB.values().iterator().next().stream().map(PartitionView::host).distinct()).containsExactlyInAnyOrder("host-a", "host-b");
            }
        }
    }

    private Daemon.Result overSsh(SshServer sshd, Path home, String... args) {
        List<String> all = new ArrayList<>(List.of("--host", sshd.url(home)));
        all.addAll(List.of(args));
        try {
            return CliProcess.run(sshd.env("sabot"), tmp, all.toArray(String[]::new));
        } catch (Exception e) {
            return new Daemon.Result(-1, "", e.toString());
        }
    }

    /** A daemon with its own host name (two "hosts" on one machine). */
    private static Daemon host(Path home, String name) throws Exception {
        return new Daemon(home, home.resolveSibling(home.getFileName() + "-daemon.log"), Map.of("SABOT_HOST_NAME", name), List.of());
    }

    private static Set<String> ownerHosts(GroupSnapshot s) {
        Set<String> hosts = new HashSet<>();
        s.partitions().forEach(p -> hosts.add(p.ownerHost()));
        return hosts;
    }

    /**
     * Rows of {@code partitions show --json} seen from host {@code me} that are the group as Kafka
     * describes it: every partition once, {@code coordination: "kafka"}, the owner's host in
     * {@code host}, an owner of this host by its instance id, one of the other host as {@code instance@host}.
     */
    private static boolean agrees(List<JsonNode> rows, GroupSnapshot s, String me) {
        if (s == null || rows.size() != s.partitions().size() || !s.fullyOwned()) return false;
        Map<Integer, GroupSnapshot.Partition> kafka = new TreeMap<>();
        s.partitions().forEach(p -> kafka.put(p.partition(), p));
        for (JsonNode r : rows) {
            GroupSnapshot.Partition p = kafka.remove(r.path("partition").asInt());
            if (p == null || !"kafka".equals(r.path("coordination").asText()) || !p.ownerHost().equals(r.path("host").asText())) return false;
            String owner = me.equals(p.ownerHost()) ? p.ownerInstance() : p.ownerInstance() + "@" + p.ownerHost();
            if (!owner.equals(r.path("owner").asText())) return false;
            for (String f : List.of("topic", "epoch", "committedOffset", "lag", "ratePerSec", "group", "cluster", "logEndOffset")) {
                if (!r.has(f)) return false;
            }
        }
        return kafka.isEmpty();
    }

    private static boolean sameOwners(List<PartitionView> lane, GroupSnapshot s) {
        if (s == null || lane.size() != s.partitions().size() || !s.fullyOwned()) return false;
        Map<Integer, GroupSnapshot.Partition> kafka = new TreeMap<>();
        s.partitions().forEach(p -> kafka.put(p.partition(), p));
        for (PartitionView v : lane) {
            GroupSnapshot.Partition p = kafka.get(v.partition());
            if (p == null || !p.ownerHost().equals(v.host()) || !p.ownerInstance().equals(io.sabot.multihost.HostNames.localName(v.ownerInstance()))) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonNode> rows(String json) {
        List<JsonNode> out = new ArrayList<>();
        try {
            JSON.readTree(json).forEach(out::add);
        } catch (java.io.IOException e) {
            return List.of();
        }
        return out;
    }
}

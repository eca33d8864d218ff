package io.sabot.multihost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.engine.Transition;
import io.sabot.ssh.Ssh;
import io.sabot.ssh.SshAddress;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.SshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two "hosts" on this machine: daemon A is the console's own engine (its control socket), daemon
 * B is "web1", reached through a real sshd and {@code sabot bridge}. One view of both: names with
 * their host, events, partitions, a bulk restart as per-host per-instance results and one trace;
 * B going away is reported and does not stop A's answers.
 */
class HostsEngineTest {
    @TempDir
    Path tmp;

    private static final String SPEC = "{\"agents\":[{\"name\":\"api\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2,\"stopGraceMs\":2000,\"topic\":\"orders\"}],"
            + "\"topics\":[{\"name\":\"orders\",\"partitions\":4}]}";

    @Test
    void twoHostsAsOneFleetWithOneTracePerBulkOperation() throws Exception {
        assumeTrue(SshServer.available(), "openssh-server and -client are needed (.ci/run installs them)");
        Map<String, Path> logins = new LinkedHashMap<>();
        logins.put("sabot", SshServer.sabotOfThisBuild(tmp.resolve("bin")));
        Path specFile = tmp.resolve("spec.json");
        Files.writeString(specFile, SPEC);
        Path homeA = tmp.resolve("a"), homeB = tmp.resolve("b");
        try (SshServer sshd = new SshServer(tmp.resolve("sshd"), logins); Daemon a = new Daemon(homeA); Daemon b = new Daemon(homeB)) {
            for (Daemon d : List.of(a, b)) {
                assertThat(d.run("agents", "deploy", specFile.toString()).code).isZero();
                assertThat(d.run("agents", "start", "--all").code).isZero();
            }
            SshAddress web1 = SshAddress.parse(sshd.url(homeB));
            try (RemoteEngine primary = new RemoteEngine(homeA.resolve("control.sock"));
                 HostsEngine hosts = new HostsEngine("local", primary)) {
                List<EngineEvent> events = new CopyOnWriteArrayList<>();
                hosts.subscribe(events::add);
                hosts.addHost("web1", web1.url(), () -> Ssh.connect(web1, sshd.env("sabot"), true));
                Await.until(Duration.ofSeconds(60), () -> hosts.connectedHosts() == 2, () -> "web1 connected: " + hosts.hosts());

                // every host's instances, each with its host in the name
                List<InstanceStatus> st = hosts.status(Selection.everything());
                assertThat(st).extracting(InstanceStatus::id).containsExactlyInAnyOrder("api-0", "api-1", "web1/api-0", "web1/api-1");
                assertThat(st).filteredOn(s -> s.id().startsWith("web1/")).extracting(InstanceStatus::agent).containsOnly("web1/api");
                assertThat(hosts.status(Selection.of("web1/api-1"))).extracting(InstanceStatus::id).containsExactly("web1/api-1");
                assertThat(hosts.partitions(null)).extracting(PartitionView::topic).contains("orders", "web1/orders");
                assertThat(hosts.spec().agents()).extracting(s -> s.name()).containsExactly("api", "web1/api");
                assertThat(hosts.history("web1/api-0")).extracting(Transition::instance).containsOnly("web1/api-0");
                Await.until(Duration.ofSeconds(20), () -> hosts.hosts().stream().allMatch(h -> h.version() != null && h.instances() == 2),
                        () -> "versions and counts in the Hosts list: " + hosts.hosts());

                // a restart across both hosts: a result per host and instance, one trace
                events.clear();
                List<LifecycleResult> rs = hosts.restart(Selection.everything(), false, null);
                assertThat(rs).extracting(LifecycleResult::instance).containsExactlyInAnyOrder("api-0", "api-1", "web1/api-0", "web1/api-1");
                assertThat(rs).allMatch(LifecycleResult::success);
                Set<String> traceIds = rs.stream().map(LifecycleResult::traceId).collect(Collectors.toSet());
                assertThat(traceIds).hasSize(1);
                String traceId = traceIds.iterator().next();
                TraceView trace = hosts.traces(50).stream().filter(t -> t.traceId().equals(traceId)).findFirst().orElseThrow();
                SpanView root = trace.root();
                assertThat(root.name()).isEqualTo("restart (4 instances on 2 hosts)");
                assertThat(root.attributes().get("sabot.hosts")).isEqualTo(List.of("local", "web1"));
                List<SpanView> engineRoots = trace.spans().stream().filter(s -> root.spanId().equals(s.parentSpanId())).toList();
                assertThat(engineRoots).extracting(SpanView::name).containsOnly("restart (2 instances)").hasSize(2);
                assertThat(engineRoots).extracting(s -> s.attributes().get("sabot.host")).containsExactlyInAnyOrder(null, "web1");
                assertThat(trace.spans()).anyMatch(s -> s.name().equals("restart api-0") && s.attributes().get("sabot.host") == null)
                        .anyMatch(s -> s.name().equals("restart api-0") && "web1".equals(s.attributes().get("sabot.host")));
                // the events of web1 come with its names
                Await.until(Duration.ofSeconds(20), () -> events.stream().anyMatch(e -> e instanceof EngineEvent.TransitionEvent t
                        && t.transition().instance().equals("web1/api-1") && t.transition().to() == InstanceState.RUNNING), "web1's transitions");
                assertThat(events).anyMatch(e -> e instanceof EngineEvent.SpanEvent s && s.span().spanId().equals(root.spanId()));

                // web1's daemon goes away: reported with the reason; the primary still answers, and an operation names web1
                b.close();
                Await.until(Duration.ofSeconds(60), () -> hosts.hosts().get(1).state().state() == HostState.Kind.UNREACHABLE,
                        () -> "web1 unreachable: " + hosts.hosts());
                assertThat(hosts.hosts().get(1).state().reason()).contains("no engine running on home " + homeB);
                assertThat(hosts.status(Selection.everything())).extracting(InstanceStatus::id).containsExactlyInAnyOrder("api-0", "api-1");
                List<LifecycleResult> partial = hosts.stop(Selection.everything(), false, null);
                assertThat(partial).filteredOn(r -> !r.success()).singleElement().satisfies(r -> {
                    assertThat(r.instance()).isEqualTo("web1");
                    assertThat(r.error()).startsWith("web1 is unreachable: ");
                });
                assertThat(partial).filteredOn(LifecycleResult::success).hasSize(2);
                assertThat(events).anyMatch(e -> e instanceof EngineEvent.NoticeEvent n && n.text().startsWith("web1: connection lost"));
                assertThat(hosts.removeHost("web1")).isTrue();
                assertThat(hosts.hosts()).hasSize(1);
            }
        }
    }

    @Test
    void namesAndSpecsKeepTheirHost() {
        assertThat(HostNames.qualify("web1", "api-0")).isEqualTo("web1/api-0");
        assertThat(HostNames.qualify(null, "api-0")).isEqualTo("api-0");
        assertThat(HostNames.hostOf("web1/api-0", "local")).isEqualTo("web1");
        assertThat(HostNames.hostOf("api-0", "local")).isEqualTo("local");
        assertThat(HostNames.localName("web1/api-0")).isEqualTo("api-0");
        io.sabot.spec.FleetSpec spec = io.sabot.testing.Specs.parse("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\",\"1\"],\"topic\":\"t\"},"
                + "{\"name\":\"b\",\"command\":[\"sleep\",\"1\"],\"dependsOn\":[\"a\"]}],\"topics\":[{\"name\":\"t\",\"partitions\":2}]}", tmp);
        io.sabot.spec.FleetSpec q = SpecNames.qualify(spec, "web1");
        assertThat(q.agents()).extracting(io.sabot.spec.AgentSpec::name).containsExactly("web1/a", "web1/b");
        assertThat(q.agents().get(0).topic()).isEqualTo("web1/t");
        assertThat(q.agents().get(1).dependsOn()).containsExactly("web1/a");
        assertThat(q.topics().get(0).name()).isEqualTo("web1/t");
        assertThat(SpecNames.local(q, "web1/")).isEqualTo(spec);
        io.sabot.spec.FleetSpec mixed = new io.sabot.spec.FleetSpec(List.of(spec.agents().get(0), q.agents().get(1)), List.of(spec.topics().get(0), q.topics().get(0)));
        assertThat(SpecNames.local(mixed, "").agents()).extracting(io.sabot.spec.AgentSpec::name).containsExactly("a");
        assertThat(SpecNames.local(mixed, "").topics()).extracting(io.sabot.spec.TopicSpec::name).containsExactly("t");
    }
}

package io.sabot.ui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.engine.Transition;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.SpecError;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.SimpleIntegerProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's view models without a JavaFX toolkit (no FxToolkit, no Platform): selection to
 * targets, filters, outcome text, events search, the spec form's logic, subscriptions.
 */
class ViewModelsTest {
    @TempDir
    Path home;

    private static InstanceStatus st(String agent, int i, InstanceState s, Long pid) {
        return new InstanceStatus(agent, i, agent + "-" + i, s, pid, 0, 0, 0, 0, true, List.of(), null, agent, 1, 0, 0, null, null);
    }

    /** alpha x3 (alpha-2 stopped), beta x1. */
    private static FleetModel fleet() {
        FleetModel m = new FleetModel();
        m.applyStatus(List.of(st("alpha", 0, InstanceState.RUNNING, 100L), st("alpha", 1, InstanceState.RUNNING, 101L),
                st("alpha", 2, InstanceState.STOPPED, null), st("beta", 0, InstanceState.RUNNING, 200L)), 1);
        return m;
    }

    @Test
    void nothingSelectedAndNoFilterTargetsEverything() {
        FleetModel m = fleet();
        Targets t = Targets.of(List.of(), FleetFilter.NONE, m);
        assertThat(t.everything()).isTrue();
        assertThat(t.selection()).isEqualTo(Selection.everything());
        assertThat(t.count()).isEqualTo(4);
        assertThat(t.agents()).containsExactly("alpha", "beta");
    }

    @Test
    void nothingSelectedWithAFilterTargetsWhatTheFilterShows() {
        FleetModel m = fleet();
        Targets running = Targets.of(List.of(), new FleetFilter("", Set.of(InstanceState.RUNNING)), m);
        assertThat(running.everything()).isFalse();
        assertThat(running.names()).containsExactly("alpha-0", "alpha-1", "beta-0");
        Targets byPid = Targets.of(List.of(), new FleetFilter("101", Set.of()), m);
        assertThat(byPid.names()).containsExactly("alpha-1");
        Targets byAgent = Targets.of(List.of(), new FleetFilter("ALPHA", Set.of()), m);
        assertThat(byAgent.count()).isEqualTo(3);
    }

    @Test
    void aSelectedAgentStandsForItsInstancesAndIsNamedOnce() {
        FleetModel m = fleet();
        Targets t = Targets.of(List.of(m.agent("alpha"), m.instance("alpha-1"), m.instance("beta-0")), FleetFilter.NONE, m);
        assertThat(t.selection().names()).containsExactly("alpha", "beta-0");
        assertThat(t.count()).isEqualTo(4);
        assertThat(t.names()).containsExactly("alpha-0", "alpha-1", "alpha-2", "beta-0");
        assertThat(t.agents()).containsExactly("alpha", "beta");
        assertThat(t.describe()).isEqualTo("alpha-0, alpha-1, alpha-2, beta-0");
    }

    @Test
    void outcomeNamesTheFirstFailuresAndTheirTrace() {
        List<LifecycleResult> rs = new ArrayList<>();
        for (int i = 0; i < 10; i++) rs.add(new LifecycleResult("restart", "s-" + i, true, InstanceState.RUNNING, InstanceState.RUNNING, 5, null, "ok-trace", 1L));
        rs.add(LifecycleResult.failure("restart", "s-10", "start timeout"));
        rs.add(new LifecycleResult("restart", "s-11", false, null, null, 0, "exit 3", "bad-trace", null));
        rs.add(LifecycleResult.failure("restart", "s-12", "spawn failed"));
        Outcome o = Outcome.of("restarted", rs, 1_500_000_000L);
        assertThat(o.message()).isEqualTo("10 restarted, 3 failed: s-10 start timeout; s-11 exit 3; +1 more");
        assertThat(o.success()).isFalse();
        assertThat(o.traceId()).isEqualTo("bad-trace");
        assertThat(o.statusLine()).endsWith(" in 1.50 s");
        assertThat(Outcome.of("started", rs.subList(0, 2), 0).message()).isEqualTo("2 started");
    }

    @Test
    void eventsSearchNeedsEveryWordAndKeepsNewestFirstWithinTheLimit() {
        EventsModel m = new EventsModel();
        m.append(List.of(EventRow.of(new Transition(1, "s-0", InstanceState.RUNNING, InstanceState.BACKOFF, "crash", 137, "SIGKILL", null, 7, null)),
                EventRow.of(new Transition(2, "s-0", InstanceState.BACKOFF, InstanceState.STARTING, "backoff", null, null, null, 8, null)),
                EventRow.notice("engine not answering", 3)));
        assertThat(m.all().get(0).kind()).isEqualTo("notice");
        m.setFilter("backoff crash", 0);
        assertThat(m.shown()).hasSize(1);
        assertThat(m.count().get()).isEqualTo("1 of 3 events");
        m.setFilter("", 4);
        assertThat(m.shown()).extracting(EventRow::change).containsExactly("RUNNING \u2192 BACKOFF");
        m.setFilter("", 0);
        List<EventRow> many = new ArrayList<>();
        for (int i = 0; i < EventsModel.LIMIT + 10; i++) many.add(EventRow.notice("n" + i, 100 + i));
        m.append(many);
        assertThat(m.all()).hasSize(EventsModel.LIMIT);
        assertThat(m.newest(1).get(0).detail()).isEqualTo("n" + (EventsModel.LIMIT + 9));
    }

    @Test
    void specFormValuesRoundTripThroughTheParserAndErrorsFindTheirFields() {
        String spec = Specs.fleet(Specs.sleeper("s", 2, "\"env\":{\"API_TOKEN\":\"s3cret\",\"MODE\":\"live\"}"));
        io.sabot.spec.FleetSpec fs = Specs.parse(spec, home);
        FleetModel fleet = new FleetModel();
        fleet.applySpec(fs);
        AgentSpec s = fleet.specOf("s");
        Map<String, String> v = SpecModel.values(s);
        assertThat(v.keySet()).containsExactlyElementsOf(SpecModel.PATHS);
        assertThat(v.get("env")).contains("API_TOKEN=****").contains("MODE=live").doesNotContain("s3cret");
        SpecModel model = new SpecModel(null, fleet, null);
        List<SpecError> local = new ArrayList<>();
        Map<String, String> edited = new java.util.LinkedHashMap<>(v);
        edited.put("concurrency", "3");
        var tree = model.tree(s, edited, local);
        assertThat(local).isEmpty();
        var a = tree.get("agents").get(0);
        assertThat(a.get("concurrency").asInt()).isEqualTo(3);
        assertThat(a.get("env").get("API_TOKEN").asText()).isEqualTo("s3cret"); // an unchanged mask keeps the value
        edited.put("env", "NOEQUALS");
        model.tree(s, edited, local);
        assertThat(local).singleElement().satisfies(e -> assertThat(e.message()).contains("expected KEY=VALUE"));
        assertThat(SpecModel.fieldOf("agents[0].restart.maxRestarts")).isEqualTo("restart.maxRestarts");
        assertThat(SpecModel.fieldOf("agents[0].env.X")).isEqualTo("env");
        assertThat(SpecModel.fieldOf("topics[0].partitions")).isNull();
    }

    @Test
    void subsRemovesEveryListenerItAdded() {
        SimpleIntegerProperty p = new SimpleIntegerProperty();
        int[] heard = {0};
        Subs subs = new Subs();
        subs.on(p, o -> heard[0]++);
        subs.on(p, (o, a, b) -> heard[0]++);
        p.set(1);
        assertThat(heard[0]).isEqualTo(2);
        subs.clear();
        p.set(2);
        assertThat(heard[0]).isEqualTo(2);
        assertThat(subs.size()).isZero();
    }

    @Test
    void liveSeriesSumsAnAgentsInstancesPerSample() {
        FleetModel m = fleet();
        m.instance("alpha-0").ring().add(1000, 0.4, 10 << 20);
        m.instance("alpha-1").ring().add(1000, 0.2, 20 << 20);
        m.instance("alpha-0").ring().add(2000, 0.6, 10 << 20);
        MetricsModel.Series s = MetricsModel.live(m.agent("alpha"), 2000);
        assertThat(s.t()).containsExactly(-1.0, 0.0);
        assertThat(s.cpu()[0]).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.memMb()[0]).isEqualTo(30.0);
        assertThat(MetricsModel.nice(37)).isEqualTo(50);
        assertThat(MetricsModel.nice(0.7)).isEqualTo(1);
    }
}

package io.sabot.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.BrokerStatus;
import io.sabot.engine.Cause;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import io.sabot.testing.Specs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluator's guarantees, on made-up facts with a made-up clock. */
class AlertEvaluatorTest {
    private static AlertEvaluator evaluator(String alerts) {
        FleetSpec f = Specs.parse("{\"agents\":[" + Specs.sleeper("det", 1, "\"limits\":{\"memoryMb\":100},\"topic\":\"tx\"").substring(0)
                + "],\"topics\":[{\"name\":\"tx\",\"partitions\":2}],\"alerts\":[" + alerts + "]}", null);
        AlertEvaluator e = new AlertEvaluator();
        e.rules(f.alerts());
        e.agents(f.agents());
        return e;
    }

    private static Transition t(long ms, InstanceState from, InstanceState to, String cause, String reason, String trace) {
        return new Transition(ms, "det-0", from, to, cause, 1, null, reason, -1, trace);
    }

    private static InstanceStatus st(InstanceState s, long mem) {
        return new InstanceStatus("det", 0, "det-0", s, s == InstanceState.RUNNING ? 42L : null, 1000, 0, 0, mem, true, List.of(), null,
                "det", 1, 0, 0, null, null);
    }

    @Test
    void aCrashLoopIsOneAlertNotOnePerCrashAndResolvesOnceStable() {
        AlertEvaluator e = evaluator("{\"name\":\"loop\",\"on\":\"crash_loop\",\"restarts\":3,\"withinSeconds\":60,\"stableSeconds\":30}");
        List<Change> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.addAll(e.onTransition(t(i * 1000L, InstanceState.RUNNING, InstanceState.BACKOFF, Cause.CRASH, "exited with code 1; restart in 100 ms", "trace" + i)));
            all.addAll(e.tick(i * 1000L + 500, List.of(st(InstanceState.BACKOFF, 0)), List.of()));
        }
        assertThat(all).hasSize(1);
        Change fired = all.get(0);
        assertThat(fired.firing()).isTrue();
        assertThat(fired.timeMs()).isEqualTo(2000); // the third restart
        assertThat(fired.traceId()).isEqualTo("trace2");
        assertThat(fired.instance()).isEqualTo("det-0");
        assertThat(fired.message()).isEqualTo("det-0 is crash-looping: 3 crashes within 60 s (last: exited with code 1)");
        assertThat(AlertEvaluator.crashReason(t(0, InstanceState.RUNNING, InstanceState.FAILED, Cause.CRASH,
                "restart intensity exceeded: more than 2 restarts within 120 s (last: memory limit: resident 110 MiB over the limit of 96 MiB)", null)))
                .isEqualTo("memory limit: resident 110 MiB over the limit of 96 MiB");
        // running from t=20 s: not resolved before 30 s without a restart, resolved once after
        assertThat(e.tick(40_000, List.of(st(InstanceState.RUNNING, 0)), List.of())).isEmpty();
        List<Change> r = e.tick(49_100, List.of(st(InstanceState.RUNNING, 0)), List.of());
        assertThat(r).hasSize(1);
        assertThat(r.get(0).firing()).isFalse();
        assertThat(e.tick(60_000, List.of(st(InstanceState.RUNNING, 0)), List.of())).isEmpty();
    }

    @Test
    void failedFiresOnceAndResolvesWhenTheInstanceLeavesFailed() {
        AlertEvaluator e = evaluator("{\"name\":\"dead\",\"on\":\"failed\"}");
        List<Change> c = e.onTransition(t(1000, InstanceState.RUNNING, InstanceState.FAILED, Cause.CRASH, "restart intensity exceeded", null));
        assertThat(c).singleElement().satisfies(x -> assertThat(x.message()).contains("det-0 FAILED: restart intensity exceeded"));
        assertThat(e.tick(2000, List.of(st(InstanceState.FAILED, 0)), List.of())).isEmpty();
        List<Change> r = e.onTransition(t(3000, InstanceState.FAILED, InstanceState.STARTING, Cause.OPERATOR, null, null));
        assertThat(r).singleElement().satisfies(x -> assertThat(x.firing()).isFalse());
    }

    @Test
    void lagFiresOnlyAfterHoldingForItsDurationAndResolvesWhenCaughtUp() {
        AlertEvaluator e = evaluator("{\"name\":\"behind\",\"on\":\"lag\",\"records\":1000,\"seconds\":30,\"forSeconds\":10}");
        List<PartitionView> behind = List.of(new PartitionView("tx", 0, "det-0", 1, 0, 1500, 50, false));
        List<PartitionView> fine = List.of(new PartitionView("tx", 0, "det-0", 1, 0, 10, 50, false));
        assertThat(e.tick(0, List.of(st(InstanceState.RUNNING, 0)), behind)).isEmpty();
        assertThat(e.tick(9_000, List.of(st(InstanceState.RUNNING, 0)), behind)).isEmpty();
        assertThat(e.tick(10_000, List.of(st(InstanceState.RUNNING, 0)), behind)).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("1500 records").contains("30.0 s"));
        assertThat(e.tick(11_000, List.of(st(InstanceState.RUNNING, 0)), behind)).isEmpty();
        assertThat(e.tick(12_000, List.of(st(InstanceState.RUNNING, 0)), fine)).singleElement().satisfies(x -> assertThat(x.firing()).isFalse());
        // a dip resets the clock
        assertThat(e.tick(13_000, List.of(st(InstanceState.RUNNING, 0)), behind)).isEmpty();
        assertThat(e.tick(22_000, List.of(st(InstanceState.RUNNING, 0)), behind)).isEmpty();
    }

    @Test
    void memoryNearTheLimitFiresForInstancesWithALimit() {
        AlertEvaluator e = evaluator("{\"name\":\"mem\",\"on\":\"memory\",\"percent\":90,\"forSeconds\":0}");
        assertThat(e.tick(0, List.of(st(InstanceState.RUNNING, 80L << 20)), List.of())).isEmpty();
        assertThat(e.tick(1000, List.of(st(InstanceState.RUNNING, 95L << 20)), List.of())).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("95 MiB of its 100 MiB limit"));
        assertThat(e.tick(2000, List.of(st(InstanceState.RUNNING, 50L << 20)), List.of())).singleElement().satisfies(x -> assertThat(x.firing()).isFalse());
    }

    @Test
    void aRebalanceStormFiresOncePerTopicAndSettles() {
        AlertEvaluator e = evaluator("{\"name\":\"storm\",\"on\":\"rebalance_storm\",\"rebalances\":3,\"withinSeconds\":10}");
        assertThat(e.onRebalance("tx", 0)).isEmpty();
        assertThat(e.onRebalance("tx", 1000)).isEmpty();
        assertThat(e.onRebalance("tx", 2000)).singleElement().satisfies(x -> assertThat(x.key()).isEqualTo("storm/tx"));
        assertThat(e.onRebalance("tx", 3000)).isEmpty();
        assertThat(e.tick(5000, List.of(), List.of())).isEmpty();
        assertThat(e.tick(12_500, List.of(), List.of())).singleElement().satisfies(x -> assertThat(x.firing()).isFalse());
    }

    @Test
    void anUnreachableBrokerFiresAfterForSecondsAndResolvesWhenReachable() {
        // the synthetic trigger the Kafka clusters will publish (BrokerStatus events)
        AlertEvaluator e = evaluator("{\"name\":\"kafka\",\"on\":\"broker_unreachable\",\"cluster\":\"main\",\"forSeconds\":30}");
        e.onBroker(new BrokerStatus("main", false, "connection refused", 0));
        e.onBroker(new BrokerStatus("main", false, "connection refused", 10_000)); // repeats keep the first moment
        e.onBroker(new BrokerStatus("other", false, "timeout", 0));
        assertThat(e.tick(29_000, List.of(), List.of())).isEmpty();
        assertThat(e.tick(30_000, List.of(), List.of())).singleElement()
                .satisfies(x -> assertThat(x.message()).isEqualTo("Kafka cluster main unreachable for 30 s: connection refused"));
        e.onBroker(new BrokerStatus("main", true, null, 31_000));
        assertThat(e.tick(31_000, List.of(), List.of())).singleElement().satisfies(x -> assertThat(x.firing()).isFalse());
    }

    @Test
    void aFailedSupervisionGroupIsOneAlertResolvedWhenItRunsAgain() {
        AlertEvaluator e = evaluator("{\"name\":\"dead\",\"on\":\"failed\",\"agents\":[\"det\"]}");
        List<Change> c = e.onGroup(new io.sabot.engine.EngineEvent.GroupChange("payments", "FAILED", "restart intensity exceeded", List.of("det-0", "det-1"), 1000));
        assertThat(c).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo("dead/group:payments");
            assertThat(x.message()).isEqualTo("supervision group payments FAILED: restart intensity exceeded (stopped det-0, det-1)");
        });
        assertThat(e.tick(2000, List.of(st(InstanceState.FAILED, 0)), List.of())).isEmpty();
        assertThat(e.onGroup(new io.sabot.engine.EngineEvent.GroupChange("payments", "RUNNING", "operator", List.of("det-0"), 3000)))
                .singleElement().satisfies(x -> assertThat(x.firing()).isFalse());
        // a group of agents the rule does not cover
        assertThat(e.onGroup(new io.sabot.engine.EngineEvent.GroupChange("other", "FAILED", "x", List.of("zz-0"), 4000))).isEmpty();
    }

    @Test
    void alertsOfARemovedRuleOrAgentResolve() {
        AlertEvaluator e = evaluator("{\"name\":\"dead\",\"on\":\"failed\"}");
        assertThat(e.onTransition(t(1000, InstanceState.RUNNING, InstanceState.FAILED, Cause.CRASH, "x", null))).hasSize(1);
        e.rules(List.of());
        assertThat(e.tick(2000, List.of(st(InstanceState.FAILED, 0)), List.of())).singleElement()
                .satisfies(x -> assertThat(x.message()).contains("rule dead was removed"));
    }
}

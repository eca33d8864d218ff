package io.sabot.engine.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.supervision.Member.Status;
import io.sabot.spec.BackoffSpec;
import io.sabot.spec.RestartPolicy;
import io.sabot.spec.SupervisionStrategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link GroupSupervisor#decide} on worked examples: the one in its class comment, and races the engine can produce. */
class GroupSupervisorTest {
    static final BackoffSpec BACKOFF = new BackoffSpec(100, 1000, 2.0, 0, 10_000);

    static GroupState group(SupervisionStrategy strategy, Status... statuses) {
        List<Member> members = new ArrayList<>();
        String[] ids = {"a-0", "b-0", "c-0", "d-0"};
        for (int i = 0; i < statuses.length; i++) members.add(new Member(ids[i], RestartPolicy.PERMANENT, statuses[i]));
        return GroupState.initial("g", new GroupSettings(strategy, 5, 60, BACKOFF), members, 1);
    }

    static GroupState with(GroupState s, Status... statuses) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < statuses.length; i++) members.add(s.members().get(i).withStatus(statuses[i]));
        return s.withFacts(s.settings(), members);
    }

    @Test
    void theClassCommentsExample() {
        GroupState s = group(SupervisionStrategy.ONE_FOR_ALL, Status.UP, Status.UP, Status.UP);
        Decision d = GroupSupervisor.decide(s, new SupervisionEvent.Exited(1_000, "b-0", true, "exited with code 3"));
        assertThat(d.actions()).hasSize(2);
        assertThat(d.actions().get(0)).isEqualTo(new Action.Backoff(List.of("b-0"), 100, "exited with code 3; restart in 100 ms"));
        Action.Stop stop = (Action.Stop) d.actions().get(1);
        assertThat(stop.members()).containsExactly("c-0", "a-0");

        d = GroupSupervisor.decide(with(d.state(), Status.DOWN, Status.WAITING, Status.DOWN), new SupervisionEvent.Stopped(2_000, stop.token()));
        assertThat(d.actions()).extracting(a -> a.getClass().getSimpleName()).containsExactly("Backoff", "Schedule");
        assertThat(((Action.Backoff) d.actions().get(0)).members()).containsExactly("a-0", "c-0");
        Action.Schedule timer = (Action.Schedule) d.actions().get(1);
        assertThat(timer.delayMs()).isEqualTo(100);

        d = GroupSupervisor.decide(with(d.state(), Status.WAITING, Status.WAITING, Status.WAITING), new SupervisionEvent.TimerFired(3_000, timer.token()));
        assertThat(d.actions()).containsExactly(new Action.Start("a-0", false));
        d = GroupSupervisor.decide(with(d.state(), Status.UP, Status.WAITING, Status.WAITING), new SupervisionEvent.Started(4_000, "a-0"));
        assertThat(d.actions()).containsExactly(new Action.Start("b-0", true));
        d = GroupSupervisor.decide(with(d.state(), Status.UP, Status.UP, Status.WAITING), new SupervisionEvent.Started(5_000, "b-0"));
        assertThat(d.actions()).containsExactly(new Action.Start("c-0", false));
        d = GroupSupervisor.decide(with(d.state(), Status.UP, Status.UP, Status.UP), new SupervisionEvent.Started(6_000, "c-0"));
        assertThat(d.actions()).isEmpty();
        assertThat(d.state().plans()).isEmpty();
        assertThat(d.state().restarts()).containsExactly(1_000L);
    }

    @Test
    void aRestartThatOvertakesAnotherWaitsForWhatThatOneIsStillStopping() {
        // rest_for_one: c-0 crashed, its restart is stopping d-0 (slow, graceful) when b-0 crashes too
        GroupState s = group(SupervisionStrategy.REST_FOR_ONE, Status.UP, Status.UP, Status.UP, Status.UP);
        Decision d = GroupSupervisor.decide(s, new SupervisionEvent.Exited(1_000, "c-0", true, "killed by SIGKILL"));
        assertThat(((Action.Stop) d.actions().get(1)).members()).containsExactly("d-0");
        d = GroupSupervisor.decide(with(d.state(), Status.UP, Status.UP, Status.WAITING, Status.STOPPING),
                new SupervisionEvent.Exited(2_000, "b-0", true, "killed by SIGKILL"));
        // d-0 is stopped again (that stop waits for the first one), so nothing starts while it is still going down
        Action.Stop again = (Action.Stop) d.actions().get(1);
        assertThat(again.members()).containsExactly("d-0");
        d = GroupSupervisor.decide(with(d.state(), Status.UP, Status.WAITING, Status.WAITING, Status.DOWN), new SupervisionEvent.Stopped(3_000, again.token()));
        Action.Schedule timer = (Action.Schedule) d.actions().get(d.actions().size() - 1);
        d = GroupSupervisor.decide(with(d.state(), Status.UP, Status.WAITING, Status.WAITING, Status.WAITING), new SupervisionEvent.TimerFired(4_000, timer.token()));
        assertThat(d.actions()).containsExactly(new Action.Start("b-0", true));
        assertThat(d.state().plans().get(0).starts()).containsExactly("c-0", "d-0");
    }

    @Test
    void anOperatorWhoStartsTheMemberARestartWaitsForLetsTheRestartGoOn() {
        GroupState s = group(SupervisionStrategy.ONE_FOR_ALL, Status.UP, Status.UP);
        Decision d = GroupSupervisor.decide(s, new SupervisionEvent.Exited(1_000, "a-0", true, "exited with code 1"));
        Action.Stop stop = (Action.Stop) d.actions().get(1);
        d = GroupSupervisor.decide(with(d.state(), Status.WAITING, Status.DOWN), new SupervisionEvent.Stopped(2_000, stop.token()));
        Action.Schedule timer = (Action.Schedule) d.actions().get(d.actions().size() - 1);
        d = GroupSupervisor.decide(with(d.state(), Status.WAITING, Status.WAITING), new SupervisionEvent.TimerFired(3_000, timer.token()));
        assertThat(d.actions()).containsExactly(new Action.Start("a-0", true));
        // the operator starts a-0 itself (its own start fails, say): the restart goes on with b-0
        d = GroupSupervisor.decide(with(d.state(), Status.FAILED, Status.WAITING), new SupervisionEvent.OperatorStart(4_000, List.of("a-0")));
        assertThat(d.actions()).containsExactly(new Action.Start("b-0", false));
    }
}

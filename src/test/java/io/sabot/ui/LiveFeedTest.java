package io.sabot.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.Transition;
import io.sabot.ui.model.LiveFeed;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coalescing contract: a burst costs the UI one entry per instance and a bounded journal. */
class LiveFeedTest {
    @TempDir
    Path dir;

    @Test
    void burstOfTransitionsCoalescesToLatestPerInstance() {
        LiveFeed f = new LiveFeed();
        for (int i = 0; i < 20_000; i++) {
            InstanceState to = i % 2 == 0 ? InstanceState.STARTING : InstanceState.RUNNING;
            f.onEvent(new EngineEvent.TransitionEvent(new Transition(i, "a-" + (i % 10), null, to, "test", null, null, null, i, null)));
        }
        Map<String, Transition> latest = f.takeTransitions();
        assertThat(latest).hasSize(10);
        assertThat(latest.get("a-9").timeMs()).isEqualTo(19_999);
        assertThat(f.takeTransitions()).isEmpty();
        assertThat(f.takeJournal()).hasSize(5_000); // bounded: the newest 5,000 kept
        assertThat(f.takeTransitionsSeen()).isTrue();
        assertThat(f.takeTransitionsSeen()).isFalse();
    }

    @Test
    void prefsRoundTripAndSurviveAGarbledFile() throws Exception {
        Path file = ConsolePrefs.file(dir);
        ConsolePrefs p = new ConsolePrefs(10, 20, 1200, 800, false, "traces", "dark", 0.5);
        p.save(file);
        assertThat(ConsolePrefs.load(file)).isEqualTo(p);
        java.nio.file.Files.writeString(file, "{not json");
        assertThat(ConsolePrefs.load(file)).isEqualTo(ConsolePrefs.DEFAULT);
    }

    @Test
    void niceAxisBoundsStepUp() {
        org.assertj.core.api.Assertions.assertThat(io.sabot.ui.model.MetricsModel.nice(37)).isEqualTo(50);
        org.assertj.core.api.Assertions.assertThat(io.sabot.ui.model.MetricsModel.nice(101)).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThat(io.sabot.ui.model.MetricsModel.nice(240)).isEqualTo(250);
    }
}

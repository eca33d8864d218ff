package io.sabot.statestore;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.Selection;
import io.sabot.engine.StateStoreView;
import io.sabot.testing.Await;
import io.sabot.testing.FleetFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/python/stateful_agent.py under the engine: it reports its stores over the protocol
 * ({@code stores}, {@code restore}), and after a SIGKILL its counts are restored, so each
 * partition's count equals its committed offset (every record counted once).
 */
class PythonStatefulAgentTest {
    static final Path SCRIPT = Path.of("examples", "python", "stateful_agent.py").toAbsolutePath();
    @TempDir Path home;

    @Test
    void countsSurviveASigkill() throws Exception {
        String spec = "{\"topics\":[{\"name\":\"tx\",\"partitions\":2,\"ratePerSec\":50}],\"agents\":[{\"name\":\"py\",\"command\":[\"python3\",\""
                + SCRIPT + "\"],\"protocol\":true,\"topic\":\"tx\",\"state\":{\"backend\":\"memory\"},"
                + "\"env\":{\"SABOT_HEARTBEAT_MS\":\"200\"},\"restart\":{\"backoff\":{\"initialMs\":50,\"maxMs\":100}}}]}";
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(spec, home));
            x.f.engine.start(Selection.everything(), null, null);
            Await.until(Duration.ofSeconds(20), () -> {
                List<StateStoreView> s = x.f.engine.stateStores("py");
                return s.size() == 2 && s.stream().allMatch(v -> "active".equals(v.status()) && "py-0".equals(v.owner()));
            }, () -> "two active stores: " + x.f.engine.stateStores("py"));
            Await.until(Duration.ofSeconds(20), () -> x.f.engine.partitions("tx").stream().allMatch(p -> p.committedOffset() > 50),
                    () -> "committed: " + x.f.engine.partitions("tx"));
            InstanceStatus before = x.f.status("py-0");
            Procs.sigkill(before.pid());
            Await.until(Duration.ofSeconds(20), () -> {
                InstanceStatus s = x.f.status("py-0");
                return s.state() == InstanceState.RUNNING && s.pid() != null && !s.pid().equals(before.pid());
            }, () -> "restarted: " + x.f.status("py-0"));
            long resumedAt = x.f.engine.partitions("tx").stream().mapToLong(p -> p.committedOffset()).min().orElse(0);
            Await.until(Duration.ofSeconds(20), () -> x.f.engine.partitions("tx").stream().allMatch(p -> p.committedOffset() > resumedAt + 50),
                    () -> "committed after the restart: " + x.f.engine.partitions("tx"));
            x.f.engine.stop(Selection.everything(), false, null);
            for (int p = 0; p < 2; p++) {
                List<String> lines = Files.readAllLines(home.resolve("state/py/counts/tx-" + p + "/changelog"));
                String[] last = lines.get(lines.size() - 1).split(" ");
                assertThat(Long.parseLong(last[1])).as("tx:%d count equals its offset (every record counted once)", p)
                        .isEqualTo(Long.parseLong(last[0]));
            }
            assertThat(String.join("\n", x.f.engine.logs("py-0", 1000))).doesNotContain("Traceback");
        }
    }
}

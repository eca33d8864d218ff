package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KillDurabilityTest {
    @TempDir
    Path home;
    private ChildJvm child;

    @AfterEach
    void cleanup() {
        if (child != null) child.close();
    }

    @Test
    void everyAcknowledgedRecordSurvivesKill9() throws Exception {
        child = new ChildJvm(DurabilityChild.class, home.toString(), "8");
        ChildJvm.waitUntil("child to acknowledge 3000 records", Duration.ofSeconds(60),
                () -> child.lines.stream().filter(l -> l.startsWith("ACK ")).count() >= 3000 || !child.process.isAlive());
        assertThat(child.process.isAlive()).as("child still writing").isTrue();
        child.kill9(); // SIGKILL mid-burst
        assertThat(child.process.exitValue()).isEqualTo(137);

        Set<Long> acked = new HashSet<>();
        Map<Integer, Long> maxAckedOffset = new TreeMap<>();
        for (String l : child.lines) {
            if (!l.startsWith("ACK ")) continue;
            long n = Long.parseLong(l.substring(4).trim());
            acked.add(n);
            maxAckedOffset.merge((int) (n % DurabilityChild.PARTITIONS), n, Math::max);
        }
        System.out.println("kill -9 test: " + acked.size() + " records acknowledged before SIGKILL");

        try (Store store = Store.open(home, StoreOptions.defaults().withScheduledRetention(false))) {
            Set<Long> stored = new HashSet<>();
            for (TransitionRecord t : store.transitions().recent(Integer.MAX_VALUE)) {
                stored.add(Long.parseLong(t.reason().substring(2)));
            }
            Set<Long> missing = new HashSet<>(acked);
            missing.removeAll(stored);
            assertThat(missing).as("acknowledged transitions missing after kill -9").isEmpty();
            for (Map.Entry<Integer, Long> e : maxAckedOffset.entrySet()) {
                assertThat(store.offsets().get(DurabilityChild.TOPIC, e.getKey()).orElse(-1))
                        .as("offset of partition " + e.getKey()).isGreaterThanOrEqualTo(e.getValue());
            }
        }
    }
}

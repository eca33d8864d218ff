package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyedStateTest {
    @TempDir
    Path home;

    @Test
    void followsTheRecordsLikeTheDatabase() {
        Random rnd = new Random(42);
        List<JournalRecord> rs = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 3000; i++) {
            String a = "agent" + rnd.nextInt(6);
            switch (rnd.nextInt(7)) {
                case 0: rs.add(new SpecRecord(a, "{\"v\":" + i + "}", t)); break;
                case 1: rs.add(new DesiredStateRecord(a, rnd.nextBoolean(), 1 + rnd.nextInt(3), t)); break;
                case 2: rs.add(new InstanceRecord(a + "-0", a, 0, (long) i, t, "RUNNING", t)); break;
                case 3: rs.add(new OffsetRecord("tx", rnd.nextInt(4), rnd.nextInt(1000), t)); break;
                case 4: if (rnd.nextInt(10) == 0) rs.add(new AgentRemovalRecord(a, t)); break;
                case 5: rs.add(new AssignmentRecord("tx", i, "sticky", "r", List.of(a), 1, t, "g")); break;
                default: rs.add(new TransitionRecord(t, a + "-0", "RUNNING", "STOPPED", "exit", 0, null, "x", null));
            }
        }
        RecoveredState inMemory;
        try (Store s = Store.open(home, StoreRepairTest.opts())) {
            for (int from = 0; from < rs.size(); from += 97) s.journal().commitAll(rs.subList(from, Math.min(rs.size(), from + 97)));
            inMemory = s.keyedState();
        }
        try (Store s = Store.open(home, StoreRepairTest.opts())) {
            RecoveredState db = s.keyedState(); // loaded from the database
            assertThat(db.specs()).containsExactlyInAnyOrderElementsOf(inMemory.specs());
            assertThat(db.desired()).isEqualTo(inMemory.desired());
            assertThat(db.instances()).containsExactlyInAnyOrderElementsOf(inMemory.instances());
            assertThat(db.offsets()).containsExactlyInAnyOrderElementsOf(inMemory.offsets());
            assertThat(db.assignments().get("g\u0000tx").epoch()).isEqualTo(inMemory.assignments().get("g\u0000tx").epoch());
        }
    }
}

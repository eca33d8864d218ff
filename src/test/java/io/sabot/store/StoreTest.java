package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path tmp;

    private static StoreOptions opts() {
        return StoreOptions.defaults().withScheduledRetention(false);
    }

    @Test
    void createsHomeOwnerOnlyAndFilesMode600() throws Exception {
        Path home = tmp.resolve("a/home");
        try (Store store = Store.open(home, opts())) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.latestVersion());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("sabot.mv.db"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("engine.lock"))))
                .isEqualTo("rw-------");
    }

    @Test
    void everyRecordTypeRoundTripsAndSurvivesReopen() {
        Instant t = Instant.parse("2025-03-01T10:00:00.123Z");
        try (Store s = Store.open(tmp, opts())) {
            JournalWriter j = s.journal();
            j.commitAll(List.of(
                    new SpecRecord("fraud", "{\"name\":\"fraud\"}", t),
                    new DesiredStateRecord("fraud", true, 3, t),
                    new InstanceRecord("fraud-0", "fraud", 0, 4242L, t.minusSeconds(5), "RUNNING", t),
                    new InstanceRecord("fraud-1", "fraud", 1, null, null, "BACKOFF", t),
                    new TransitionRecord(t, "fraud-1", "RUNNING", "BACKOFF", "exit", null, "SIGKILL", "killed", "ab"),
                    new ResultRecord(t, "start", "fraud-0", true, "STOPPED", "RUNNING", Duration.ofMillis(120), null, "ab"),
                    new OffsetRecord("tx", 0, 100, t),
                    new OffsetRecord("tx", 0, 90, t), // smaller: ignored
                    new AssignmentRecord("tx", 1, "sticky", "deploy", Arrays.asList("fraud-0", null, "fraud-1"), 3, t, "fraud"),
                    new AssignmentRecord("tx", 2, "sticky", "crash", Arrays.asList("fraud-0", "fraud-0", "fraud-0"), 2, t, "fraud"),
                    new AssignmentRecord("tx", 1, "sticky", "deploy", Arrays.asList("alerter-0", "alerter-0", "alerter-0"), 3, t, "alerter"),
                    new OffsetRecord("alerter", "tx", 0, 7, t),
                    new EventRecord(t, "crash", "fraud-1", "fraud-1 killed by SIGKILL")));
            s.metrics().record(new MetricRecord("fraud-0", t, 12.5, 50_000_000, 17));
            s.spans().record(new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null, true, "start",
                    1_000, 500, "OK", Map.of("agent", "fraud")));
            j.sync();
            j.commit(new OffsetRecord("tx", 0, 95, t)); // still smaller than 100
        }
        try (Store s = Store.open(tmp, opts())) {
            RecoveredState r = s.recovery().load();
            assertThat(r.specs()).containsExactly(new SpecRecord("fraud", "{\"name\":\"fraud\"}", t));
            assertThat(r.desired()).containsEntry("fraud", new DesiredStateRecord("fraud", true, 3, t));
            assertThat(r.instances()).hasSize(2);
            assertThat(r.instancesWithProcess()).containsExactly(
                    new InstanceRecord("fraud-0", "fraud", 0, 4242L, t.minusSeconds(5), "RUNNING", t));
            // per (consumer group, topic): each group's epochs and offsets are its own
            assertThat(r.assignments().get("fraud\u0000tx").epoch()).isEqualTo(2);
            assertThat(r.assignments().get("fraud\u0000tx").owners()).containsExactly("fraud-0", "fraud-0", "fraud-0");
            assertThat(r.assignments().get("alerter\u0000tx").epoch()).isEqualTo(1);
            assertThat(r.offsets()).containsExactly(new OffsetRecord("", "tx", 0, 100, t), new OffsetRecord("alerter", "tx", 0, 7, t));

            assertThat(s.transitions().byInstance("fraud-1", 10)).containsExactly(
                    new TransitionRecord(t, "fraud-1", "RUNNING", "BACKOFF", "exit", null, "SIGKILL", "killed", "ab"));
            assertThat(s.results().recent(5).get(0).duration()).isEqualTo(Duration.ofMillis(120));
            assertThat(s.events().byInstance("fraud-1", 5)).hasSize(1);
            assertThat(s.metrics().latest("fraud-0")).contains(new MetricRecord("fraud-0", t, 12.5, 50_000_000, 17));
            StoredTrace tr = s.spans().recentTraces(5).get(0);
            assertThat(tr.root().attributes()).containsEntry("agent", "fraud");
            assertThat(s.assignments().history("tx", 10)).extracting(AssignmentRecord::epoch).containsExactly(1L, 2L, 1L);
            assertThat(s.assignments().history("tx", 10).get(2).owners()).containsExactly("fraud-0", null, "fraud-1");
        }
    }

    @Test
    void removalIsOrderedWithKeyedRecordsOfTheSameBatch() {
        Instant t = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // the store keeps ms
        try (Store s = Store.open(tmp, opts())) {
            s.journal().commitAll(List.of(
                    new SpecRecord("a", "{}", t), new InstanceRecord("a-0", "a", 0, 1L, t, "RUNNING", t),
                    new SpecRecord("b", "{}", t), new DesiredStateRecord("b", true, 1, t),
                    new AgentRemovalRecord("a", t), new AgentRemovalRecord("b", t),
                    new SpecRecord("b", "{\"v\":2}", t)));
            assertThat(s.specs().all()).containsExactly(new SpecRecord("b", "{\"v\":2}", t));
            assertThat(s.instances().all()).isEmpty();
            assertThat(s.desiredStates().all()).isEmpty();
            s.specs().remove("b");
            assertThat(s.specs().get("b")).isEmpty();
        }
    }

    @Test
    void badRecordIsRejectedAloneAndTheRestOfTheBatchIsWritten() {
        Instant t = Instant.now();
        try (Store s = Store.open(tmp, opts())) {
            JournalWriter j = s.journal();
            String tooLong = "x".repeat(300); // agent column is VARCHAR(200)
            long ok1 = j.submit(new EventRecord(t, "k", null, "before"));
            long bad = j.submit(new DesiredStateRecord(tooLong, true, 1, t));
            long ok2 = j.submit(new EventRecord(t, "k", null, "after"));
            j.awaitDurable(ok1);
            j.awaitDurable(ok2);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> j.awaitDurable(bad))
                    .isInstanceOf(JournalException.class).hasMessageContaining("rejected");
            assertThat(s.events().recent(10)).extracting(EventRecord::text).containsExactly("after", "before");
            assertThat(j.stats().rejected()).isEqualTo(1);
            j.commit(new EventRecord(t, "k", null, "still writing"));
        }
    }
}

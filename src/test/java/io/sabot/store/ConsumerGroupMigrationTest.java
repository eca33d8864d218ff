package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round-1 store (schema 1: one shared assignment and one offset per topic partition) opened by
 * this version: the shared offsets are dropped, never read as some group's progress; a note in the
 * event history says how many; old assignments stay as history but are not recovered; new offsets
 * and assignments are per consumer group.
 */
class ConsumerGroupMigrationTest {
    @TempDir
    Path home;

    @Test
    void sharedOffsetsOfRoundOneAreDroppedWithANoteNeverMisread() throws Exception {
        String url = "jdbc:h2:file:" + home.resolve(Store.DB_NAME) + ";DB_CLOSE_ON_EXIT=FALSE";
        try (Connection c = DriverManager.getConnection(url, Store.USER, ""); Statement st = c.createStatement()) {
            String v1;
            try (InputStream in = Migrations.class.getResourceAsStream("migration/V1__init.sql")) {
                v1 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            for (String sql : Migrations.statements(v1)) st.execute(sql);
            st.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, description VARCHAR(200) NOT NULL, applied_ms BIGINT NOT NULL)");
            st.execute("INSERT INTO schema_version VALUES (1, 'init', 0)");
            st.execute("INSERT INTO committed_offset VALUES ('transactions', 0, 500, 1), ('transactions', 1, 480, 1), ('transactions', 2, 510, 1)");
            st.execute("INSERT INTO assignment (seq, topic, epoch, strategy, reason, owners_json, moved, time_ms) "
                    + "VALUES (1, 'transactions', 7, 'sticky', 'deploy', '[\"alerter-0\",\"fraud-1\",\"fraud-2\"]', 3, 1)");
        }
        try (Store s = Store.open(home, StoreOptions.defaults().withScheduledRetention(false))) {
            assertThat(s.schemaVersion()).isEqualTo(Migrations.latestVersion());
            RecoveredState r = s.recovery().load();
            assertThat(r.offsets()).as("no group's progress is read from the shared offsets").isEmpty();
            assertThat(r.assignments()).as("the shared assignment is history, not a group's epoch").isEmpty();
            assertThat(s.assignments().history("transactions", 5)).singleElement()
                    .satisfies(a -> assertThat(a.group()).isNull());
            assertThat(s.events().recent(10)).anySatisfy(e -> assertThat(e.text())
                    .contains("consumer groups").contains("3 committed offsets").contains("dropped"));

            java.time.Instant t = java.time.Instant.ofEpochMilli(5_000);
            s.journal().commitAll(java.util.List.of(new OffsetRecord("fraud_detector", "transactions", 0, 42, t),
                    new OffsetRecord("alerter", "transactions", 0, 7, t),
                    new AssignmentRecord("transactions", 8, "sticky", "up", java.util.List.of("fraud_detector-0"), 1, t, "fraud_detector")));
            assertThat(s.offsets().get("fraud_detector", "transactions", 0)).hasValue(42);
            assertThat(s.offsets().get("alerter", "transactions", 0)).hasValue(7);
            assertThat(s.recovery().load().assignments()).containsOnlyKeys("fraud_detector\u0000transactions");
        }
        // opening again applies nothing twice
        try (Store s = Store.open(home, StoreOptions.defaults().withScheduledRetention(false))) {
            assertThat(s.events().recent(10).stream().filter(e -> e.text().contains("consumer groups")).count()).isEqualTo(1);
            assertThat(s.offsets().get("alerter", "transactions", 0)).hasValue(7);
        }
    }
}

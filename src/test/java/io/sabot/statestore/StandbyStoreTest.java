package io.sabot.statestore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A standby's warm copy: follows the owner's changelog, hands over with only the tail replayed, rolls back an uncommitted tail, notices a cut log. */
class StandbyStoreTest {
    @TempDir Path dir;

    private static final PartitionStore.Progress NONE = (d, t) -> { };

    private PartitionStore open() throws Exception {
        return PartitionStore.open("s", "tx", 0, dir.resolve("s/tx-0"), Stores.MEMORY, Long.MAX_VALUE, 5_000);
    }

    private StandbyStore standby() { return new StandbyStore("s", "tx", 0, dir.resolve("s/tx-0")); }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String str(byte[] v) { return v == null ? null : new String(v, StandardCharsets.UTF_8); }

    private static void write(PartitionStore s, int from, int to, long offset) throws Exception {
        for (int i = from; i < to; i++) s.put(b("k" + i), b("v" + i + "@" + offset));
        s.commit(offset);
    }

    @Test
    void followsTheOwnerAndHandsOverWithOnlyTheTailReplayed() throws Exception {
        PartitionStore owner = open();
        owner.restore(0, NONE);
        for (int i = 0; i < 100; i++) write(owner, i * 10, i * 10 + 10, (i + 1) * 10L);
        StandbyStore sb = standby();
        assertThat(sb.catchUp()).isEqualTo(1000);
        assertThat(sb.entries()).isEqualTo(1000);
        assertThat(sb.offset()).isEqualTo(1000);
        write(owner, 1000, 1005, 1005); // the tail the standby has not seen
        owner.close(false); // the owner dies: no checkpoint

        PartitionStore next = open();
        PartitionStore.Restored r = next.restore(1005, NONE, sb);
        assertThat(r.source()).isEqualTo("standby+changelog");
        assertThat(r.changes()).isEqualTo(5);
        assertThat(r.offset()).isEqualTo(1005);
        assertThat(next.entries()).isEqualTo(1005);
        assertThat(str(next.get(b("k3")))).isEqualTo("v3@10");
        assertThat(str(next.get(b("k1004")))).isEqualTo("v1004@1005");
        next.close(false);
    }

    @Test
    void uncommittedTailIsRolledBack() throws Exception {
        PartitionStore owner = open();
        owner.restore(0, NONE);
        write(owner, 0, 10, 10);
        owner.put(b("k0"), b("changed"));
        owner.delete(b("k1"));
        owner.commit(20); // never committed: the owner dies
        StandbyStore sb = standby();
        sb.catchUp();
        assertThat(sb.offset()).isEqualTo(20);
        owner.close(false);

        PartitionStore next = open();
        PartitionStore.Restored r = next.restore(10, NONE, sb);
        assertThat(r.source()).isEqualTo("standby");
        assertThat(r.offset()).isEqualTo(10);
        assertThat(str(next.get(b("k0")))).isEqualTo("v0@10");
        assertThat(str(next.get(b("k1")))).isEqualTo("v1@10");
        // the log is cut where the state is: the next batch follows on
        write(next, 10, 12, 12);
        next.close(false);
        PartitionStore again = open();
        assertThat(again.restore(12, NONE).offset()).isEqualTo(12);
        assertThat(str(again.get(b("k0")))).isEqualTo("v0@10");
        again.close(false);
    }

    @Test
    void aCutLogMakesTheStandbyStartAgain() throws Exception {
        PartitionStore owner = open();
        owner.restore(0, NONE);
        write(owner, 0, 5, 5);
        write(owner, 5, 10, 10); // never committed
        StandbyStore sb = standby();
        sb.catchUp();
        owner.close(false);
        // another instance took the partition at 5 and processed 5.. differently (the standby was elsewhere)
        PartitionStore other = open();
        other.restore(5, NONE);
        other.put(b("x"), b("other"));
        other.commit(10);
        sb.catchUp();
        assertThat(sb.offset()).isEqualTo(10);
        other.close(false);
        PartitionStore next = open();
        next.restore(10, NONE, sb);
        assertThat(str(next.get(b("x")))).isEqualTo("other");
        assertThat(next.get(b("k7"))).isNull();
        next.close(false);
    }

    @Test
    void aStandbyStartsFromTheNewestCheckpoint() throws Exception {
        PartitionStore owner = open();
        owner.restore(0, NONE);
        write(owner, 0, 50, 50);
        owner.checkpoint(); // later segments only
        write(owner, 50, 60, 60);
        StandbyStore sb = standby();
        assertThat(sb.catchUp()).isEqualTo(10);
        assertThat(sb.entries()).isEqualTo(60);
        owner.close(false);
        sb.close();
    }
}

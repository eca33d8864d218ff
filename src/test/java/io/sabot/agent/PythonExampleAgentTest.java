package io.sabot.agent;

import io.sabot.protocol.ProtocolCodec;
import io.sabot.protocol.ProtocolMessages.Ack;
import io.sabot.protocol.ProtocolMessages.Assign;
import io.sabot.protocol.ProtocolMessages.Commit;
import io.sabot.protocol.ProtocolMessages.Drained;
import io.sabot.protocol.ProtocolMessages.Heartbeat;
import io.sabot.protocol.ProtocolMessages.PartitionOffset;
import io.sabot.protocol.ProtocolMessages.Ready;
import io.sabot.protocol.ProtocolMessages.Revoke;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** examples/python/agent.py as a real process, driven over stdin like the engine does. */
class PythonExampleAgentTest {
    static final Duration T = Duration.ofSeconds(20);
    static final Path SCRIPT = Path.of("examples", "python", "agent.py").toAbsolutePath();

    @TempDir
    Path home;

    private final List<AgentProcess> started = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (AgentProcess p : started) p.close();
    }

    private AgentProcess start() throws Exception {
        assertThat(SCRIPT).exists();
        AgentProcess p = AgentProcess.startArgv(List.of("python3", "-u", SCRIPT.toString()), home,
                Map.of("SABOT_HEARTBEAT_MS", "200"));
        started.add(p);
        return p;
    }

    @Test
    void speaksTheProtocol() throws Exception {
        AgentProcess p = start();
        p.await(Ready.class, T);
        p.send("this is not json");
        p.send(ProtocolCodec.encode(new Assign(4, "tx", 100, System.currentTimeMillis() - 2_000,
                List.of(new PartitionOffset(0, 0), new PartitionOffset(3, 10)))));
        assertThat(p.await(Ack.class, T)).isEqualTo(new Ack("assign", 4));
        p.await(Commit.class, c -> c.partition() == 3 && c.offset() > 10, T);
        p.await(Heartbeat.class, h -> h.processed() > 0, T);
        p.send(ProtocolCodec.encode(new Revoke(5, "tx", List.of(3))));
        p.await(Ack.class, a -> a.epoch() == 5 && a.op().equals("revoke"), T);
        p.send("{\"type\":\"drain\"}");
        p.await(Drained.class, T);
        assertThat(p.awaitExit(T)).isZero();
    }

    @Test
    void exitsOnStdinEof() throws Exception {
        AgentProcess p = start();
        p.await(Ready.class, T);
        p.closeStdin();
        assertThat(p.awaitExit(T)).isZero();
        assertThat(Files.exists(SCRIPT)).isTrue();
    }
}

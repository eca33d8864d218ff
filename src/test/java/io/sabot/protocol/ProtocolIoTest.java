package io.sabot.protocol;

import io.sabot.protocol.ProtocolMessages.*;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolIoTest {
    @Test
    void boundedLineReaderCutsLongLinesAndKeepsGoing() throws Exception {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'a');
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("one\r\n".getBytes(StandardCharsets.UTF_8));
        b.write(big);
        b.write("\n\nthree é\nlast".getBytes(StandardCharsets.UTF_8));
        BoundedLineReader r = new BoundedLineReader(new ByteArrayInputStream(b.toByteArray()), 1000);
        assertThat(r.readLine()).isEqualTo(new BoundedLineReader.Line("one", false, 3));
        BoundedLineReader.Line cut = r.readLine();
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.bytes()).isEqualTo(200_000);
        assertThat(cut.text()).hasSize(1000);
        assertThat(r.readLine().text()).isEmpty();
        assertThat(r.readLine().text()).isEqualTo("three é");
        assertThat(r.readLine().text()).isEqualTo("last");
        assertThat(r.readLine()).isNull();
    }

    @Test
    void readerIgnoresAbuseAndDeliversValidMessages() {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        byte[] garbage = new byte[3000];
        new java.util.Random(7).nextBytes(garbage);
        in.writeBytes(garbage);
        in.writeBytes("\n{broken\n\n   \n{\"type\":\"nope\"}\n{\"type\":\"nope\"}\n".getBytes(StandardCharsets.UTF_8));
        byte[] huge = new byte[10 << 20];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        in.writeBytes(huge);
        in.writeBytes("\n{\"type\":\"drain\"}\n{\"type\":\"revoke\",\"epoch\":2,\"topic\":\"t\",\"partitions\":[3]}".getBytes(StandardCharsets.UTF_8));
        List<ToAgent> got = new ArrayList<>();
        boolean[] eof = {false};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProtocolReader reader = new ProtocolReader(new ByteArrayInputStream(in.toByteArray()), new ProtocolReader.Handler() {
            @Override
            public void onMessage(ToAgent message) {
                got.add(message);
            }

            @Override
            public void onEof() {
                eof[0] = true;
            }
        }, new PrintStream(log, true, StandardCharsets.UTF_8));
        reader.run();
        assertThat(got).containsExactly(new Drain(), new Revoke(2, "t", List.of(3)));
        assertThat(eof[0]).isTrue();
        String l = log.toString(StandardCharsets.UTF_8);
        assertThat(l).contains("dropped a stdin line of 10485760 bytes");
        assertThat(l).containsOnlyOnce("unknown message type 'nope'");
    }

    @Test
    void writerLinesNeverInterleave() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        ProtocolWriter w = ProtocolWriter.toEngine(out);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            ts.add(new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    w.write(new Commit("topic-" + id, id, i));
                    if (i % 100 == 0) out.println("a log line from " + id);
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) t.join();
        int protocol = 0;
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("@sabot ")) {
                assertThat(ProtocolCodec.decodeAgentLine(line)).isInstanceOf(Commit.class);
                protocol++;
            } else {
                assertThat(line).startsWith("a log line from ");
            }
        }
        assertThat(protocol).isEqualTo(8000);
    }

    @Test
    void writerToAgentWritesPlainJsonLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProtocolWriter w = ProtocolWriter.toAgent(bytes);
        assertThat(w.write(new Drain())).isTrue();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"drain\"}\n");
    }
}

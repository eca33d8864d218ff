package io.sabot.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run for the app image's class-data archive ({@code lib/app/sabot.jsa}, made at
 * build time and again by the .deb's postinst with {@code -XX:ArchiveClassesAtExit}): the CLI's
 * lean commands against a stand-in engine on a temporary socket (canned replies), then the full
 * CLI's command model and help. Every class this loads is mapped from the archive at the next
 * start instead of being read, parsed and verified from the jar. Prints nothing.
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) throws Exception {
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        Path dir = Files.createTempDirectory("sabot-cds");
        Path sock = dir.resolve("control.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread engine = new Thread(() -> serve(server), "cds-engine");
            engine.setDaemon(true);
            engine.start();
            String home = dir.toString();
            DaemonJvm.tune(new String[] {"--version"}); // what Main and Launcher load first
            Class.forName("io.sabot.Main");
            Class.forName("io.sabot.cli.Launcher");
            LeanCli.run(new String[] {"--version"}, sink, sink);
            LeanCli.run(new String[] {"agents", "status", "--home", home}, sink, sink);
            LeanCli.run(new String[] {"agents", "start", "--all", "--home", home}, sink, sink);
            LeanCli.run(new String[] {"agents", "status", "--home", dir.resolve("none").toString()}, sink, sink); // no engine
            // the remote end of --host (a JVM per ssh session): a channel opened, a request forwarded, stdin's end
            io.sabot.control.Bridge.run(sock, new java.io.ByteArrayInputStream("1 !open\n1 {\"id\":1,\"op\":\"status\"}\n2 !open\n2 !close\n"
                    .getBytes(StandardCharsets.UTF_8)), java.io.OutputStream.nullOutputStream());
            picocli.CommandLine cl = Cli.commandLine();
            cl.setOut(sink);
            cl.setErr(sink);
            cl.execute("--help");
            cl.execute("agents", "status", "--help");
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    private static void serve(ServerSocketChannel server) {
        String status = "[{\"agent\":\"a\",\"instance\":0,\"id\":\"a-0\",\"state\":\"RUNNING\",\"pid\":4242,\"uptimeMs\":61000,\"restarts\":1,"
                + "\"cpuPercent\":0.5,\"memoryBytes\":2097152,\"healthy\":true,\"partitions\":[\"t:0\"],\"lastExit\":{\"code\":null,"
                + "\"signal\":\"SIGKILL\",\"reason\":\"killed by SIGKILL\"}},{\"agent\":\"a\",\"instance\":1,\"id\":\"a-1\",\"state\":\"STOPPED\","
                + "\"pid\":null,\"uptimeMs\":0,\"restarts\":0,\"cpuPercent\":0.0,\"memoryBytes\":0,\"healthy\":false,\"partitions\":[],\"lastExit\":null}]";
        String results = "[{\"operation\":\"start\",\"instance\":\"a-0\",\"success\":true,\"previousState\":\"STOPPED\",\"newState\":\"RUNNING\","
                + "\"durationMs\":3,\"error\":null,\"traceId\":null,\"pid\":4242},{\"operation\":\"start\",\"instance\":\"a-1\",\"success\":false,"
                + "\"previousState\":\"STOPPED\",\"newState\":\"FAILED\",\"durationMs\":1,\"error\":\"cannot start\",\"traceId\":null,\"pid\":null}]";
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(4096);
                StringBuilder req = new StringBuilder();
                while (req.indexOf("\n") < 0 && c.read(in) > 0) {
                    in.flip();
                    req.append(StandardCharsets.UTF_8.decode(in));
                    in.clear();
                }
                String result = req.indexOf("\"op\":\"status\"") >= 0 ? status : results;
                c.write(ByteBuffer.wrap(("{\"id\":1,\"ok\":true,\"result\":" + result + "}\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                return; // closed
            }
        }
    }
}

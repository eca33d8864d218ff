package io.sabot.agent;

import io.sabot.protocol.ProtocolReader;
import io.sabot.protocol.ProtocolWriter;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Main class of a built-in agent process: {@code java ... io.sabot.agent.AgentMain <kind>}.
 * Speaks the agent protocol (docs/architecture.md) on stdin/stdout; logs on stderr. See
 * {@link AgentConfig} for the environment it reads, {@link BuiltinLauncher} for the argv the
 * engine uses.
 *
 * <p>Exit: 0 after {@code drain}, SIGTERM (a shutdown hook drains, sends {@code drained} and halts
 * with 0) or stdin EOF; 2 for bad arguments.
 */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (args.length != 1) {
            err.println("usage: AgentMain <kind>   (kinds: " + String.join(", ", AgentKind.BUILTIN) + ")");
            System.exit(2);
            return;
        }
        if (args[0].equals("kafka-broker")) { // not a consumer: a supervised Kafka broker (io.sabot.kafka.BrokerAgent)
            int code = io.sabot.kafka.BrokerAgent.run(System.getenv(), ProtocolWriter.toEngine(out), err);
            out.flush();
            Runtime.getRuntime().halt(code);
        }
        AgentConfig config = AgentConfig.fromEnv(args[0], System.getenv());
        AgentLog log = new AgentLog(err, out, config.instance());
        AgentKind kind = AgentKind.create(args[0], log);
        if (kind == null) {
            err.println("sabot-agent: unknown kind '" + args[0] + "' (kinds: " + Arrays.toString(AgentKind.BUILTIN) + ")");
            System.exit(2);
            return;
        }
        ProtocolWriter writer = ProtocolWriter.toEngine(out);
        // stdin through an interruptible channel: closing it wakes the reader out of read(2).
        // A thread blocked in native code delays JVM exit by 300 ms (HotSpot's VM_Exit waits for
        // threads in native); see Exit and ShutdownHook.
        FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
        AgentRuntime runtime = new AgentRuntime(config, kind, writer, log, new Exit(stdin));
        Runtime.getRuntime().addShutdownHook(new ShutdownHook(runtime, out, stdin));

        Thread reader = new Thread(new ProtocolReader(Channels.newInputStream(stdin), runtime, err), "sabot-stdin");
        reader.setDaemon(true);
        reader.start();

        runtime.run();
    }

    // Startup path note: no lambdas, method references or '+' string concatenation run before
    // "ready" (each bootstraps invokedynamic machinery: about 35 ms for concatenation and 10 ms
    // for lambdas on a C1-only JVM, measured here). See docs/benchmarks.md.

    /** SIGTERM/SIGINT (and our own System.exit): drain, send drained, halt with 0. */
    private static final class ShutdownHook extends Thread {
        private final AgentRuntime runtime;
        private final PrintStream out;
        private final FileChannel stdin;

        ShutdownHook(AgentRuntime runtime, PrintStream out, FileChannel stdin) {
            super("sabot-shutdown");
            this.runtime = runtime;
            this.out = out;
            this.stdin = stdin;
        }

        @Override
        public void run() {
            // Also when the agent is already exiting by itself (drain, stdin EOF): a SIGTERM racing
            // with that must not turn exit status 0 into 143. Every exit of a running agent is 0.
            if (runtime.stopForSignal()) {
                out.flush();
                closeQuietly(stdin);
                Runtime.getRuntime().halt(0);
            }
        }
    }

    private static final class Exit implements java.util.function.Consumer<Integer> {
        private final FileChannel stdin;

        Exit(FileChannel stdin) {
            this.stdin = stdin;
        }

        @Override
        public void accept(Integer status) {
            closeQuietly(stdin);
            System.exit(status);
        }
    }

    static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException | RuntimeException ignored) {
            // exiting anyway
        }
    }
}

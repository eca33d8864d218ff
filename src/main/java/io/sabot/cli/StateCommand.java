package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.StateStoreView;
import io.sabot.engine.StateViews;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sabot state show|reset}: agents' state stores per partition, and clearing them. */
@Command(name = "state", description = "Agents' state stores per partition (docs/state.md).", mixinStandardHelpOptions = true,
        subcommands = {StateCommand.Show.class, StateCommand.Reset.class})
public final class StateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.BAD_INPUT;
    }

    @Command(name = "show", description = "Stores per (agent, store, partition, holder): owner, status, entries, size, restore progress.",
            mixinStandardHelpOptions = true)
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "AGENT", arity = "0..1", description = "one agent (default: every agent)") String agent;
        @Option(names = "--json", description = "a JSON array, one object per store partition and holder") boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (RemoteEngine e = common.connect()) {
                List<StateStoreView> all = e.stateStores(agent);
                if (json) out.println(Output.json(all));
                else if (all.isEmpty()) out.println("no state stores (an agent gets them with \"state\": {\"backend\": \"memory\"} in its spec)");
                else {
                    List<List<String>> rows = new ArrayList<>();
                    for (StateStoreView v : all) {
                        rows.add(List.of(v.agent(), v.store(), v.topic() + ":" + v.partition(), v.owner() == null ? "-" : v.owner(),
                                status(v), Long.toString(v.entries()), Output.bytes(v.bytes()), Output.bytes(v.diskBytes()),
                                v.source() == null ? "-" : v.source()));
                    }
                    Output.table(out, List.of("AGENT", "STORE", "PARTITION", "OWNER", "STATUS", "ENTRIES", "BYTES", "DISK", "RESTORED FROM"), rows);
                }
                out.flush();
                return ExitCodes.OK;
            }
        }

        static String status(StateStoreView v) {
            if (!"restoring".equals(v.status())) return v.status();
            String s = "restoring " + v.restorePercent() + " % (" + v.restoredRecords() + "/" + v.restoreTotal() + ")";
            if (v.etaSeconds() != null) s += String.format(", %.0f/s, %.0f s left", v.restoreRate(), v.etaSeconds());
            return s;
        }
    }

    @Command(name = "reset", description = "Delete an agent's state (every store, or one with --store); only while the agent is stopped.",
            mixinStandardHelpOptions = true)
    static final class Reset implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "AGENT", description = "the agent (its consumer group's stores are cleared)") String agent;
        @Option(names = "--store", paramLabel = "S", description = "only this store") String store;
        @Option(names = "--json", description = "what was deleted, as JSON") boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (RemoteEngine e = common.connect()) {
                StateViews.StateReset r = e.resetState(agent, store);
                if (json) out.println(Output.json(r));
                else if (r.stores().isEmpty()) out.println(agent + ": no state to reset");
                else out.println(agent + ": state reset, store(s) " + String.join(", ", r.stores()) + " deleted (" + Output.bytes(r.bytesFreed()) + ")");
                out.flush();
                return ExitCodes.OK;
            }
        }
    }
}

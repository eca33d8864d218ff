package io.sabot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sabot.control.NoEngineException;
import io.sabot.control.RemoteEngine;
import io.sabot.control.Wire;
import io.sabot.store.HomeLock;
import io.sabot.store.HomeLockedException;
import io.sabot.store.SafetyPolicy;
import io.sabot.store.Store;
import io.sabot.store.StoreCheck;
import io.sabot.store.StoreChecks;
import io.sabot.store.StoreOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sabot store check | repair | backup}. Exit codes: 0 the store is sound (or was repaired
 * with the fleet's state intact); 1 problems found, or not everything could be recovered (each
 * named); 2 bad usage; 3 {@code repair} while an engine holds the home (stop it first: a running
 * engine repairs damage on its own, and a starting one before it supervises anything), or
 * {@code backup} with no engine running. {@code check} works either way: through the running
 * engine, or directly on the files when none runs.
 */
@Command(name = "store", description = "Verify the durable store, repair it from its backups and snapshot, back it up.",
        mixinStandardHelpOptions = true, subcommands = {StoreCommand.Check.class, StoreCommand.Repair.class, StoreCommand.Backup.class})
public final class StoreCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.BAD_INPUT;
    }

    @Command(name = "check", description = "Read every row of the database and compare it with the snapshot file and the backups (changes nothing).",
            mixinStandardHelpOptions = true)
    static final class Check implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Option(names = "--json", description = "the report as a JSON object") boolean json;

        @Override
        public Integer call() {
            Path home = common.home();
            StoreCheck report;
            List<String> notices = List.of();
            RemoteEngine e = null;
            try {
                e = common.connect();
            } catch (NoEngineException none) {
                // checked directly below
            }
            if (e != null) {
                try (RemoteEngine engine = e) {
                    report = Wire.JSON.convertValue(engine.request("store-check", null), StoreCheck.class);
                    var store = engine.info().store();
                    if (store != null) notices = store.notices();
                }
            } else {
                if (!Files.isDirectory(home)) throw new IllegalArgumentException("there is no Sabot home at " + home);
                try (HomeLock lock = HomeLock.acquire(home)) {
                    report = StoreChecks.offline(lock);
                }
            }
            print(spec, report, notices, json);
            return report.ok() ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }

    @Command(name = "repair", description = "With no engine running: move a damaged database aside, restore the newest good backup and the snapshot.",
            mixinStandardHelpOptions = true)
    static final class Repair implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Option(names = "--json", description = "the report after the repair as a JSON object (what was done under \"repairs\")") boolean json;

        @Override
        public Integer call() {
            Path home = common.home();
            if (!Files.isDirectory(home)) throw new IllegalArgumentException("there is no Sabot home at " + home);
            try (RemoteEngine e = common.connect()) {
                long pid = e.info().pid();
                throw new HomeLockedException(home, pid, "pid " + pid + "; stop it first (a running engine restores a damaged "
                        + "database by itself, and so does one that starts)");
            } catch (NoEngineException none) {
                // nothing runs: repair below
            }
            PrintWriter out = spec.commandLine().getOut();
            List<String> done;
            boolean fleetLost;
            StoreCheck after;
            try (HomeLock lock = HomeLock.acquire(home)) {
                StoreCheck before = StoreChecks.offline(lock);
                StoreOptions opts = StoreOptions.defaults().withScheduledRetention(false)
                        .withSafety(SafetyPolicy.defaults().withBackups(java.time.Duration.ZERO, java.time.Duration.ZERO, 3));
                try (Store s = Store.openChecked(lock, opts)) {
                    done = new ArrayList<>(s.notices());
                    fleetLost = s.fleetStateLost();
                    s.flushSnapshot();
                }
                after = StoreChecks.offline(lock);
                if (!json) {
                    if (before.ok() && done.isEmpty()) out.println("nothing to repair: the store of " + home + " is sound");
                    for (String p : before.problems()) out.println("found: " + p);
                    for (String d : done) out.println("repaired: " + d);
                }
            }
            if (json) {
                var node = (com.fasterxml.jackson.databind.node.ObjectNode) JsonTrees.MAPPER.valueToTree(after);
                node.set("repairs", JsonTrees.MAPPER.valueToTree(done));
                node.put("fleetStateLost", fleetLost);
                out.println(Output.json(node));
                out.flush();
            } else {
                print(spec, after, List.of(), false);
            }
            return after.ok() && !fleetLost ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }

    @Command(name = "backup", description = "Take an online backup of the running engine's database now (after a full scan).",
            mixinStandardHelpOptions = true)
    static final class Backup implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;

        @Override
        public Integer call() {
            try (RemoteEngine e = common.connect()) {
                JsonNode r = e.request("store-backup", null);
                PrintWriter out = spec.commandLine().getOut();
                if (r.path("taken").asBoolean()) {
                    out.printf(Locale.ROOT, "backup %s (%s) in %d ms%n", r.path("file").asText(), Output.bytes(r.path("sizeBytes").asLong()),
                            r.path("millis").asLong());
                    out.flush();
                    return ExitCodes.OK;
                }
                spec.commandLine().getErr().println("sabot store backup: no backup taken: " + r.path("problem").asText("unknown reason"));
                spec.commandLine().getErr().flush();
                return ExitCodes.PARTIAL;
            }
        }
    }

    static void print(CommandSpec spec, StoreCheck r, List<String> notices, boolean json) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) JsonTrees.MAPPER.valueToTree(r);
            node.set("notices", JsonTrees.MAPPER.valueToTree(notices));
            out.println(Output.json(node));
            out.flush();
            return;
        }
        long rows = r.rows().values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "database    %s  %s, generation %d, %d tables read (%,d rows)%s%n", r.database(),
                Output.bytes(r.databaseBytes()), r.generation(), r.rows().size(), rows, r.online() ? ", checked by the running engine" : "");
        out.printf("snapshot    %s  %s%n", r.snapshot(), r.snapshotWrittenAt() == null ? "(none)"
                : "written " + r.snapshotWrittenAt() + ", agents: " + (r.snapshotAgents().isEmpty() ? "none" : String.join(", ", r.snapshotAgents())));
        out.printf("            %s%n", r.snapshotVsDatabase());
        if (r.backups().isEmpty()) out.println("backups     none yet");
        for (int i = 0; i < r.backups().size(); i++) {
            StoreCheck.BackupInfo b = r.backups().get(i);
            out.printf("%s%s  taken %s, %s%n", i == 0 ? "backups     " : "            ", b.file(), b.takenAt(), Output.bytes(b.sizeBytes()));
        }
        for (String a : r.movedAside()) out.printf("moved aside %s%n", a);
        for (String n : notices) out.printf("notice      %s%n", n);
        if (r.ok()) {
            out.println("ok");
        } else {
            out.println(r.problems().size() + (r.problems().size() == 1 ? " problem:" : " problems:"));
            for (String p : r.problems()) out.println("  - " + p);
        }
        out.flush();
    }

    /** Jackson only for --json (a CLI start pays for every class it loads). */
    private static final class JsonTrees {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    }
}

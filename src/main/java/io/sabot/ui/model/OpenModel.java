package io.sabot.ui.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.importer.ImportException;
import io.sabot.importer.ImportResult;
import io.sabot.importer.Importer;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * "Open…": a Sabot spec deploys; a PM2 ecosystem file, a supervisord .conf or a process-compose
 * file is imported first (the report, then deploy or save); anything else is refused with the
 * importer's reason. Reading, importing (which may run node) and deploying happen off the UI thread.
 */
public final class OpenModel {
    /** What a file turned out to be. */
    public sealed interface Opened permits SabotSpec, Imported, Refused { Path file(); }

    /** A Sabot spec, ready to deploy. */
    public record SabotSpec(Path file, FleetSpec spec) implements Opened { }

    /** Another supervisor's file, imported: the report, the spec's YAML, and the parsed spec when it deploys here. */
    public record Imported(Path file, ImportResult result, String yaml, FleetSpec spec) implements Opened { }

    /** Neither: why (names the file). */
    public record Refused(Path file, String reason) implements Opened { }

    private final Engine engine;
    private final Background bg;

    public OpenModel(Engine engine, Background bg) {
        this.engine = engine;
        this.bg = bg;
    }

    /** Reads {@code file}; the outcome on the UI thread. */
    public void open(Path file, Consumer<Opened> done) {
        bg.read(() -> classify(file), done, e -> done.accept(new Refused(file, file + ": " + e.getMessage())));
    }

    /** What the file is (no UI; tests call it directly). */
    public static Opened classify(Path file) {
        SpecException specProblem;
        try {
            return new SabotSpec(file, SpecParser.parseFile(file));
        } catch (SpecException e) {
            specProblem = e;
        }
        try {
            ImportResult r = Importer.importFile(file, Importer.Options.defaults());
            FleetSpec parsed = null;
            if (r.report().problems().isEmpty()) {
                try {
                    parsed = SpecParser.fromTree(r.spec(), file.toString(), file.toAbsolutePath().getParent());
                } catch (SpecException e) {
                    // listed in the report's problems already
                }
            }
            return new Imported(file, r, Importer.render(r, false), parsed);
        } catch (ImportException e) {
            // a file with "agents" is a Sabot spec with mistakes: those are what to show
            if (e.getMessage().contains("already a Sabot spec")) return new Refused(file, specProblem.getMessage());
            return new Refused(file, e.getMessage());
        }
    }

    /** Deploys a spec and, when asked, starts what it deployed; a line for people on the UI thread. */
    public void deploy(FleetSpec spec, boolean start, Consumer<String> done, Consumer<Throwable> error) {
        bg.op(() -> {
            DeployResult d = engine.deploy(spec);
            String msg = "Deployed " + Fmt.plural(spec.agents().size(), "agent") + " (" + d.added().size() + " new, " + d.changed().size() + " changed)";
            if (start) {
                List<String> names = spec.agents().stream().map(a -> a.name()).toList();
                List<LifecycleResult> rs = engine.start(Selection.of(names), null, null);
                long bad = rs.stream().filter(r -> !r.success()).count();
                msg += ", " + (rs.size() - bad) + " of " + rs.size() + " instances started";
            }
            return msg;
        }, done, error);
    }

    /** The imported spec as a tree (to save). */
    public static ObjectNode tree(Imported i) { return i.result().spec(); }
}

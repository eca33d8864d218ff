package io.sabot.cli;

import io.sabot.engine.Selection;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** NAME... or --all, exactly one of them. */
public final class Targets {
    @Parameters(paramLabel = "NAME", arity = "0..*", description = "agent names, or instances NAME-I")
    List<String> names;

    @Option(names = "--all", description = "every deployed agent")
    boolean all;

    Selection selection() {
        boolean hasNames = names != null && !names.isEmpty();
        if (all && hasNames) throw new IllegalArgumentException("give agent names or --all, not both");
        if (!all && !hasNames) throw new IllegalArgumentException("give agent names (NAME or NAME-I) or --all");
        return all ? Selection.everything() : Selection.of(names);
    }
}

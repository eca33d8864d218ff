package io.sabot.importer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An imported file: its format, the Sabot spec it became (a tree, as a spec file holds it) and the report. */
public record ImportResult(Format format, String source, ObjectNode spec, ImportReport report) {
    public int agents() { return spec.path("agents").size(); }

    /** The headline of the report: {@code ecosystem.config.js (PM2 ecosystem file) -> 3 agents}. */
    public String headline() {
        return source + " (" + format.title + ") -> " + agents() + (agents() == 1 ? " agent" : " agents");
    }
}

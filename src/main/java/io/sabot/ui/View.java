package io.sabot.ui;

import java.util.Locale;

/** The console's views, switched with the left rail or Ctrl+1..5. */
public enum View {
    AGENTS("Agents"), PARTITIONS("Partitions"), TRACES("Traces"), EVENTS("Events"), HOSTS("Hosts");

    public final String title;

    View(String title) { this.title = title; }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static View parse(String s) {
        if (s == null) return AGENTS;
        for (View v : values()) if (v.id().equalsIgnoreCase(s.trim())) return v;
        throw new IllegalArgumentException("unknown view \"" + s + "\"; one of agents, partitions, traces, events, hosts");
    }
}

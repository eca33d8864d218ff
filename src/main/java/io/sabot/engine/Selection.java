package io.sabot.engine;

import java.util.List;

/** What an operation targets: agent names or instance ids ({@code NAME-I}), or everything. */
public record Selection(List<String> names, boolean all) {
    public Selection {
        names = names == null ? List.of() : List.copyOf(names);
    }

    public static Selection everything() { return new Selection(List.of(), true); }

    public static Selection of(String... names) { return new Selection(List.of(names), false); }

    public static Selection of(List<String> names) { return new Selection(names, false); }
}

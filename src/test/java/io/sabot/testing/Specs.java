package io.sabot.testing;

import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import java.nio.file.Path;

/** Specs for tests, written as JSON text so they go through the real parser. */
public final class Specs {
    private Specs() {}

    public static FleetSpec parse(String json, Path base) {
        try {
            return SpecParser.parse(json, false, "test-spec", base);
        } catch (SpecException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** A plain command agent: {@code sleep 100000}, n instances. */
    public static String sleeper(String name, int n, String extra) {
        return "{\"name\":\"" + name + "\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":" + n
                + ",\"stopGraceMs\":2000" + (extra == null || extra.isEmpty() ? "" : "," + extra) + "}";
    }

    public static String fleet(String... agents) {
        return "{\"agents\":[" + String.join(",", agents) + "]}";
    }
}

package io.sabot.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The demo fleet a first-time user sees: built-in {@code fraud_detector} x3, {@code enricher}
 * x2 and {@code alerter} x1 consuming a {@code transactions} topic of 12 partitions.
 */
public final class DemoFleet {
    static final String RESOURCE = "/io/sabot/spec/demo-fleet.json";

    private DemoFleet() {}

    public static String json() {
        try (InputStream in = DemoFleet.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("demo fleet spec missing from the application: " + RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the demo fleet spec: " + e.getMessage(), e);
        }
    }

    public static FleetSpec spec() {
        try {
            return SpecParser.parse(json(), false, "demo fleet", null);
        } catch (SpecException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}

package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Output's hand-rolled number formatting prints exactly what String.format prints. */
class OutputTest {
    @Test
    void fixedIsStringFormat() {
        Random r = new Random(42);
        double[] edges = {0, 0.05, 0.15, 0.25, 0.45, 0.95, 0.99, 0.995, 1.005, 4.35, 9.95, 99.95, 999.5, 1e-9, 1e-4, 5e-5, 123456789.95,
                1e7, 1.23e15, 2.5, 3.5, 1023.5, 0.5, 1.5, Double.MIN_VALUE, -0.0, -1.25, Double.NaN, Double.POSITIVE_INFINITY, 1e300};
        for (double v : edges) check(v);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 4) {
                case 0 -> r.nextDouble() * 200;
                case 1 -> Math.round(r.nextDouble() * 100_000) / 1000.0; // many ties after the first decimals
                case 2 -> r.nextLong() % 1_000_000_000_000L / 1024.0;
                default -> Double.longBitsToDouble(r.nextLong());
            };
            check(v);
        }
    }

    private static void check(double v) {
        for (int d = 0; d <= 2; d++) {
            assertThat(Output.fixed(v, d)).as("%s with %d decimals", v, d).isEqualTo(String.format(Locale.ROOT, "%." + d + "f", v));
        }
    }

    @Test
    void padRightIsStringFormat() {
        for (String s : new String[] {"", "a", "a-0", "x".repeat(24), "y".repeat(30)}) {
            assertThat(Output.padRight(s, 24)).isEqualTo(String.format("%-24s", s));
        }
    }
}

package io.sabot.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** At most N deliveries of a rule within any 60 s; other rules are not affected. */
class RateLimitTest {
    @Test
    void aRuleGetsItsQuotaPerSlidingMinute() {
        RateLimit r = new RateLimit();
        for (int i = 0; i < 3; i++) assertThat(r.admit("loop", 3, 1000 + i)).isTrue();
        assertThat(r.admit("loop", 3, 2000)).isFalse();
        assertThat(r.admit("other", 3, 2000)).isTrue();
        assertThat(r.admit("loop", 3, 60_999)).isFalse();
        assertThat(r.admit("loop", 3, 61_000)).isTrue(); // the first left the window
    }
}

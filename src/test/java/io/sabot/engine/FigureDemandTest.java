package io.sabot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Someone looks while a viewer watches, and for a while after a status read; closing a watch twice counts once. */
class FigureDemandTest {
    @Test
    void watchedWhileAViewerHoldsAWatchOrRightAfterALook() {
        FigureDemand d = new FigureDemand();
        assertThat(d.watched()).as("nobody yet").isFalse();
        Subscription a = d.watch();
        Subscription b = d.watch();
        assertThat(d.watched()).isTrue();
        a.close();
        a.close(); // twice: still one viewer left
        assertThat(d.watched()).as("b still watches").isTrue();
        b.close();
        assertThat(d.watched()).isFalse();
        d.look();
        assertThat(d.watched()).as("a status read just now").isTrue();
    }
}

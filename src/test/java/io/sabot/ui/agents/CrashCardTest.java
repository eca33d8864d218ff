package io.sabot.ui.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.CrashReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the crash card says of the supervision group (the card itself is driven in OpsUiTest). */
class CrashCardTest {

    private static CrashReport crash(String agent, String group) {
        return new CrashReport(agent + "-0", agent, 0L, 42L, 3, null, CrashReport.CRASH, "exited with code 3", null, 1_000L,
                List.of(), 2, 3, 5, 60, 100L, "BACKOFF", null, group);
    }

    @Test
    void aGroupWithOtherAgentsIsNamedWithWhoseRestartsTheFiguresAre() {
        assertThat(CrashCard.groupNote(crash("enricher", "payments")))
                .startsWith("payments")
                .contains("the group's");
    }

    @Test
    void aLoneAgentsGroupOfOneIsNotShown() {
        assertThat(CrashCard.groupNote(crash("enricher", "enricher"))).isNull();
        assertThat(CrashCard.groupNote(crash("enricher", null))).isNull();
    }
}

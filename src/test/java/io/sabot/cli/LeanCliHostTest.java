package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lean path never answers for another host: with SABOT_HOST set, the full CLI (and ssh) does. */
class LeanCliHostTest {
    @Test
    void aSabotHostDefaultGoesToTheFullCli() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        for (String[] args : new String[][] {{"agents", "status"}, {"agents", "stop", "--all"}, {"agents", "restart", "api"}}) {
            assertThat(LeanCli.run(args, new PrintWriter(out), new PrintWriter(err), Map.of("SABOT_HOST", "ssh://alice@web1")))
                    .as(String.join(" ", args)).isEqualTo(LeanCli.NOT_HANDLED);
        }
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEmpty();
    }
}

package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.ssh.SshAddress;
import io.sabot.ssh.SshCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The early ssh's guess is the command line the CLI itself runs (so the CLI takes the early
 * process), and no guess where the CLI runs no ssh or would refuse the arguments.
 */
class EarlySshTest {
    private static final Map<String, String> ENV = Map.of("SABOT_SSH_COMMAND", "ssh -p 2222 -i '/k/my key'");

    private static Object expected(String url, Map<String, String> env) {
        return SshCommand.argv(SshAddress.parse(url), env, System.console() == null);
    }

    @Test
    void theGuessIsTheCommandLineTheCliRuns() {
        assertThat(EarlySsh.argv(new String[] {"--host", "ssh://alice@web1:2200?home=/srv/s", "agents", "status", "--json"}, ENV))
                .isEqualTo(expected("ssh://alice@web1:2200?home=/srv/s", ENV));
        assertThat(EarlySsh.argv(new String[] {"agents", "status", "--host=ssh://web1", "--home", "/srv/s"}, ENV))
                .isEqualTo(expected("ssh://web1?home=/srv/s", ENV));
        assertThat(EarlySsh.argv(new String[] {"partitions", "show"}, Map.of("SABOT_HOST", "ssh://bob@web2")))
                .isEqualTo(expected("ssh://bob@web2", Map.of()));
        // --host wins over SABOT_HOST; `local` is this machine
        assertThat(EarlySsh.argv(new String[] {"--host", "ssh://web3", "agents", "status"}, Map.of("SABOT_HOST", "ssh://web2")))
                .isEqualTo(expected("ssh://web3", Map.of()));
        assertThat(EarlySsh.argv(new String[] {"--host", "local", "agents", "status"}, Map.of("SABOT_HOST", "ssh://web2"))).isNull();
    }

    @Test
    void noGuessWhereTheCliRunsNoSsh() {
        for (String[] args : new String[][] {{"agents", "status"}, {"--host", "ssh://web1", "daemon"}, {"bridge", "--home", "/x"},
                {"--host", "ssh://web1", "agents", "status", "--help"}, {"--host", "ftp://web1", "agents", "status"},
                {"--host", "ssh://web1?home=/a", "--home", "/b", "agents", "status"}, {"--host", "ssh://a", "--host", "ssh://b", "agents", "status"}}) {
            assertThat(EarlySsh.argv(args, Map.of())).as(String.join(" ", args)).isNull();
        }
        assertThat(EarlySsh.argv(new String[] {"--host", "ssh://web1", "agents", "status"}, Map.of("SABOT_SSH_COMMAND", "ssh 'unclosed"))).isNull();
    }
}

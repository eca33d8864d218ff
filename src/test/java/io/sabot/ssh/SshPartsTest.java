package io.sabot.ssh;

import io.sabot.shell.ShellWords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SABOT_SSH_COMMAND splitting, ssh:// addresses, the ssh command line, and ssh's messages mapped to one line. */
class SshPartsTest {

    @Test
    void splitsLikeAShellWithoutRunningOne() {
        assertThat(ShellWords.split("ssh -i ~/.ssh/k -o 'ProxyJump=bastion host' -p 2222"))
                .containsExactly("ssh", "-i", "~/.ssh/k", "-o", "ProxyJump=bastion host", "-p", "2222");
        assertThat(ShellWords.split("  ssh   -F \"/tmp/my config\"\t-v ")).containsExactly("ssh", "-F", "/tmp/my config", "-v");
        assertThat(ShellWords.split("a\\ b \"x\\\"y\" 'it'\\''s' \"$HOME\" `id`")).containsExactly("a b", "x\"y", "it's", "$HOME", "`id`");
        assertThat(ShellWords.split("")).isEmpty();
        assertThat(ShellWords.split("a''b \"\"")).containsExactly("ab", "");
        assertThatThrownBy(() -> ShellWords.split("ssh -o 'oops")).hasMessageContaining("unterminated single quote");
        assertThatThrownBy(() -> ShellWords.split("ssh \"oops")).hasMessageContaining("unterminated double quote");
        assertThat(ShellWords.quote("/srv/sabot")).isEqualTo("/srv/sabot");
        assertThat(ShellWords.quote("/a b/it's")).isEqualTo("'/a b/it'\\''s'");
        assertThat(ShellWords.split(ShellWords.quote("/a b/it's; rm -rf $x"))).containsExactly("/a b/it's; rm -rf $x");
    }

    @Test
    void parsesSshUrls() {
        assertThat(SshAddress.parse("ssh://web1")).isEqualTo(new SshAddress(null, "web1", null, null));
        assertThat(SshAddress.parse("ssh://alice@web1.example.com:2222?home=/srv/sabot"))
                .isEqualTo(new SshAddress("alice", "web1.example.com", 2222, "/srv/sabot"));
        assertThat(SshAddress.parse("ssh://bob@[::1]:22").host()).isEqualTo("::1");
        assertThat(SshAddress.parse("ssh://bob@[::1]:22").display()).isEqualTo("bob@[::1]:22");
        assertThat(SshAddress.parse("ssh://my_alias?home=~/sabot").home()).isEqualTo("~/sabot");
        assertThat(SshAddress.parse("ssh://h?home=/a%20b").home()).isEqualTo("/a b");
        assertThat(SshAddress.parse("SSH://h:1/").label()).isEqualTo("h:1");
        assertThatThrownBy(() -> SshAddress.parse("web1")).hasMessageContaining("not an ssh:// URL");
        assertThatThrownBy(() -> SshAddress.parse("ssh://")).hasMessageContaining("no host name");
        assertThatThrownBy(() -> SshAddress.parse("ssh://h:99999")).hasMessageContaining("port must be 1 to 65535");
        assertThatThrownBy(() -> SshAddress.parse("ssh://h/srv/sabot")).hasMessageContaining("?home=/path");
        assertThatThrownBy(() -> SshAddress.parse("ssh://h?home=rel")).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> SshAddress.parse("ssh://h?port=2")).hasMessageContaining("unknown parameter \"port\"");
        assertThatThrownBy(() -> SshAddress.parse("ssh://-oProxyCommand=x")).hasMessageContaining("cannot start with '-'");
    }

    @Test
    void theCommandLinePutsTheUsersOptionsFirst() {
        SshAddress a = SshAddress.parse("ssh://alice@web1:2222?home=/srv/my sabot");
        List<String> argv = SshCommand.argv(a, Map.of("SABOT_SSH_COMMAND", "ssh -F '/tmp/c f' -o BatchMode=no"), true);
        assertThat(argv.subList(0, 5)).containsExactly("ssh", "-F", "/tmp/c f", "-o", "BatchMode=no");
        assertThat(argv).containsSubsequence("-T", "-o", "BatchMode=yes", "-p", "2222", "--", "alice@web1");
        assertThat(argv.get(argv.size() - 1)).isEqualTo("sabot bridge --home '/srv/my sabot'");
        assertThat(SshCommand.argv(SshAddress.parse("ssh://web1"), Map.of(), false)).startsWith("ssh").doesNotContain("BatchMode=yes")
                .endsWith("--", "web1", "sabot bridge");
        assertThat(SshCommand.remoteCommand(SshAddress.parse("ssh://w?home=~/a b"))).isEqualTo("sabot bridge --home ~/'a b'");
        assertThatThrownBy(() -> SshCommand.argv(a, Map.of("SABOT_SSH_COMMAND", "ssh 'x"), true)).hasMessageStartingWith("SABOT_SSH_COMMAND: unterminated");
    }

    private static final SshAddress A = new SshAddress("alice", "web1", 2222, null);

    private static String explain(Integer exit, String stderr) { return SshErrors.explain(A, false, exit, stderr, List.of()); }

    @Test
    void sshMessagesBecomeOneClearLine() {
        // texts as OpenSSH 9.2 prints them
        assertThat(explain(255, "ssh: connect to host web1 port 2222: Connection refused\r\n"))
                .isEqualTo("cannot reach alice@web1:2222: connection refused on port 2222 (is sshd running there?)");
        assertThat(explain(255, "Warning: Permanently added '[web1]:2222' (ED25519) to the list of known hosts.\r\nalice@web1: Permission denied (publickey).\r\n"))
                .isEqualTo("cannot reach alice@web1:2222: authentication failed (Permission denied (publickey)); check your ssh key, agent or ~/.ssh/config");
        assertThat(explain(255, "No ED25519 host key is known for [web1]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n"))
                .contains("its host key was refused (Host key verification failed.)");
        assertThat(explain(255, "@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.\n"))
                .contains("host key has CHANGED").contains("ssh-keygen -R web1");
        assertThat(explain(255, "ssh: Could not resolve hostname web1: Name or service not known\r\n")).contains("unknown host name \"web1\"");
        assertThat(explain(255, "ssh: connect to host web1 port 2222: Connection timed out\r\n")).contains("connection timed out");
        assertThat(explain(255, "ssh: connect to host web1 port 2222: No route to host\r\n")).contains("no route to host");
        assertThat(explain(127, "bash: line 1: sabot: command not found\n"))
                .startsWith("sabot is not on the PATH of alice@web1:2222");
        assertThat(explain(127, "sh: 1: sabot: not found\n")).startsWith("sabot is not on the PATH of alice@web1:2222");
        assertThat(explain(2, "Unmatched argument at index 0: 'bridge'\nUsage: sabot\n")).contains("too old for --host");
        assertThat(explain(null, "")).startsWith("no answer from alice@web1:2222 in time");
        assertThat(SshErrors.explain(A, true, 255, "Timeout, server web1 not responding.\r\n", List.of()))
                .isEqualTo("lost the connection to alice@web1:2222: the ssh server stopped answering (Timeout, server web1 not responding.)");
        assertThat(SshErrors.explain(A, false, 0, "", List.of("Welcome to web1!", "Last login: today")))
                .contains("did not answer as sabot does").contains("Welcome to web1!").contains("1 more lines");
        for (String m : List.of(explain(255, "x"), explain(1, "boom"), explain(127, ""))) assertThat(m).doesNotContain("\n").contains("alice@web1:2222");
    }
}

package io.sabot.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * POSIX shell words without a shell: splitting a command line into an argv as Python's
 * {@code shlex.split} does (how supervisord reads {@code command=}; how {@code SABOT_SSH_COMMAND}
 * is read, as git reads {@code GIT_SSH_COMMAND}), quoting a word for a shell, and telling whether
 * a command line needs a shell to mean what it says.
 *
 * <p>Splitting: blanks (space, tab, CR, LF) separate words; single quotes keep everything; double
 * quotes keep everything but the {@code \\ \" \$ \`} escapes (and a backslash-newline, which
 * vanishes); a backslash outside quotes keeps the next character. No variables, globs or
 * substitutions: a {@code $} is a {@code $}. An unterminated quote or a trailing backslash is an
 * error naming the line (SshPartsTest, ImporterTest).
 */
public final class ShellWords {
    private ShellWords() {}

    /** The words of {@code line}; IllegalArgumentException naming the problem and the line. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0, n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("unterminated single quote in \"" + line + "\"");
                w.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, w);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) throw new IllegalArgumentException("a trailing backslash in \"" + line + "\"");
                if (line.charAt(i + 1) != '\n') {
                    w.append(line.charAt(i + 1));
                    inWord = true;
                }
                i += 2;
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }

    /** Appends the inside of a double-quoted string that starts at {@code i}; returns the index past its closing quote. */
    private static int doubleQuoted(String line, int i, StringBuilder w) {
        int n = line.length();
        while (i < n) {
            char d = line.charAt(i);
            if (d == '"') return i + 1;
            if (d == '\\' && i + 1 < n && "\\\"$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                if (line.charAt(i + 1) != '\n') w.append(line.charAt(i + 1));
                i += 2;
            } else {
                w.append(d);
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated double quote in \"" + line + "\"");
    }

    /** One word quoted for a POSIX shell, left bare when it is safe as it is. */
    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./=:@%+,-]+")) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * Whether {@code cmd} needs a shell to mean what it says: pipes, redirections, variables,
     * globs, several commands (outside quotes; {@code $} and backquotes inside double quotes too),
     * an unterminated quote, or a leading {@code VAR=value}.
     */
    public static boolean needsShell(String cmd) {
        char quote = 0;
        for (int i = 0; i < cmd.length(); i++) {
            char c = cmd.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '$' || c == '`') return true;
                else if (c == '\\') i++;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\') {
                i++;
            } else if ("|&;<>()$`*?[]{}~\n!#".indexOf(c) >= 0) {
                return true;
            }
        }
        if (quote != 0) return true;
        String first = cmd.strip().split("\\s+", 2)[0];
        return first.matches("[A-Za-z_][A-Za-z0-9_]*=.*");
    }
}

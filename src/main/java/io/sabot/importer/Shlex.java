package io.sabot.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * POSIX shell word splitting without expansion, as Python's {@code shlex.split} does it (how
 * supervisord turns {@code command=} into an argv): whitespace separates words, single quotes are
 * literal, double quotes allow {@code \"}, {@code \\}, {@code \$} and {@code \`}, a backslash
 * outside quotes escapes the next character.
 */
public final class Shlex {
    private Shlex() {}

    /** The words of {@code s}; IllegalArgumentException naming the problem for an unclosed quote. */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) throw new IllegalArgumentException("unclosed single quote in: " + s);
                w.append(s, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = s.charAt(i);
                    if (d == '"') { closed = true; i++; break; }
                    if (d == '\\' && i + 1 < n && "\\\"$`\n".indexOf(s.charAt(i + 1)) >= 0) {
                        w.append(s.charAt(i + 1));
                        i += 2;
                    } else {
                        w.append(d);
                        i++;
                    }
                }
                if (!closed) throw new IllegalArgumentException("unclosed double quote in: " + s);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < n) {
                    if (s.charAt(i + 1) != '\n') w.append(s.charAt(i + 1));
                    i += 2;
                } else {
                    i++;
                }
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                w.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) out.add(w.toString());
        return out;
    }

    /**
     * Whether {@code cmd} needs a shell to mean what it says: pipes, redirections, variables,
     * globs, several commands (outside quotes; {@code $} and backquotes inside double quotes too).
     */
    static boolean needsShell(String cmd) {
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
        // a leading VAR=value assignment
        String first = cmd.strip().split("\\s+", 2)[0];
        return first.matches("[A-Za-z_][A-Za-z0-9_]*=.*");
    }

    /** Quotes a word for a shell command line when it needs it. */
    public static String quote(String w) {
        if (!w.isEmpty() && w.matches("[A-Za-z0-9_@%+=:,./-]+")) return w;
        return "'" + w.replace("'", "'\"'\"'") + "'";
    }
}

package io.sabot.ssh;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as a POSIX shell would, without running one (for
 * {@code SABOT_SSH_COMMAND}, like {@code GIT_SSH_COMMAND}): blanks separate words; single quotes
 * keep everything; double quotes keep everything but {@code \\ \" \$ \`} escapes; a backslash
 * outside quotes keeps the next character. No variables, globs or substitutions: a {@code $} is a
 * {@code $}. An unterminated quote is an error.
 */
public final class ShellWords {
    private ShellWords() {}

    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0, n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
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
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\\\"$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                        if (line.charAt(i + 1) != '\n') w.append(line.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    w.append(d);
                    i++;
                }
                if (!closed) throw new IllegalArgumentException("unterminated double quote in \"" + line + "\"");
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

    /** One word quoted for a POSIX shell (the remote side of ssh runs the command through one). */
    public static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./=:@%+,-]+")) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }
}

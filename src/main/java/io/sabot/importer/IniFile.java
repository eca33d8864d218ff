package io.sabot.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * supervisord's INI dialect, as Python's {@code RawConfigParser} reads it for supervisord
 * ({@code inline_comment_prefixes=(';', '#')}, {@code strict=False}): {@code [section]} headers,
 * {@code key = value} or {@code key: value} (keys lower-cased), full-line comments starting with
 * {@code ;} or {@code #}, inline comments after whitespace, indented continuation lines joined
 * with newlines, and a section that appears twice merged (later keys win).
 */
final class IniFile {
    /** A value and where it was written (for messages). */
    record Value(String text, int line) { }

    final String source;
    /** section name -> key -> value, in file order. */
    final Map<String, Map<String, Value>> sections = new LinkedHashMap<>();

    private IniFile(String source) { this.source = source; }

    static IniFile parse(String text, String source) throws ImportException {
        IniFile f = new IniFile(source);
        Map<String, Value> current = null;
        String key = null;
        StringBuilder value = null;
        int keyLine = 0;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            int no = i + 1;
            String stripped = raw.strip();
            boolean indented = !raw.isEmpty() && Character.isWhitespace(raw.charAt(0));
            if (stripped.startsWith(";") || stripped.startsWith("#")) continue;
            if (stripped.isEmpty()) {
                if (value != null) value.append('\n'); // kept only if a continuation follows
                continue;
            }
            if (indented && key != null && current != null) {
                value.append('\n').append(stripComment(stripped));
                continue;
            }
            if (key != null) {
                current.put(key, new Value(value.toString().strip(), keyLine));
                key = null;
                value = null;
            }
            if (stripped.startsWith("[")) {
                int end = stripped.indexOf(']');
                if (end < 0) throw new ImportException(source + ": line " + no + ": section header without ']': " + Values.show(stripped));
                String name = stripped.substring(1, end).strip();
                current = f.sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
                continue;
            }
            if (current == null) {
                throw new ImportException(source + ": line " + no + ": \"" + Values.show(stripped) + "\" comes before any [section], so this is not an INI file as supervisord reads it");
            }
            int eq = indexOfDelimiter(stripped);
            if (eq <= 0) throw new ImportException(source + ": line " + no + ": expected key = value, was " + Values.show(stripped));
            key = stripped.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            value = new StringBuilder(stripComment(stripped.substring(eq + 1).strip()));
            keyLine = no;
        }
        if (key != null) current.put(key, new Value(value.toString().strip(), keyLine));
        return f;
    }

    private static int indexOfDelimiter(String s) {
        int eq = s.indexOf('='), colon = s.indexOf(':');
        if (eq < 0) return colon;
        if (colon < 0) return eq;
        return Math.min(eq, colon);
    }

    /** Cuts an inline comment: ';' or '#' preceded by whitespace. */
    private static String stripComment(String s) {
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c == ';' || c == '#') && Character.isWhitespace(s.charAt(i - 1))) return s.substring(0, i).strip();
        }
        return s;
    }

    /** Sections whose name starts with {@code prefix} (e.g. "program:"), in file order. */
    List<String> sectionsStartingWith(String prefix) {
        List<String> out = new ArrayList<>();
        for (String s : sections.keySet()) if (s.startsWith(prefix)) out.add(s);
        return out;
    }

    /** Adds the sections of another file (an [include]d one): a section already here is merged. */
    void merge(IniFile other) {
        other.sections.forEach((name, keys) -> sections.computeIfAbsent(name, k -> new LinkedHashMap<>()).putAll(keys));
    }
}

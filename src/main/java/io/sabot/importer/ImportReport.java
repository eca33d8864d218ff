package io.sabot.importer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What an import did with each setting of the source file: mapped as it is, mapped approximately
 * (the note says how), or left out because Sabot has no equivalent (the note says why).
 * Also the problems that keep the imported spec from deploying on this machine.
 */
public final class ImportReport {
    public enum Kind { MAPPED, APPROXIMATE, NONE }

    /**
     * One setting. {@code subject}: the program/app/process it belongs to (empty for file-wide
     * settings); {@code source}: the setting as written ({@code max_memory_restart 300M});
     * {@code target}: the Sabot field it became (empty for NONE); {@code note}: how or why.
     */
    public record Entry(Kind kind, String subject, String source, String target, String note) {
        public String line() {
            StringBuilder sb = new StringBuilder();
            if (!subject.isEmpty()) sb.append(subject).append(": ");
            sb.append(source);
            if (!target.isEmpty()) sb.append(" -> ").append(target);
            if (!note.isEmpty()) sb.append(" \u2014 ").append(note);
            return sb.toString();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    void mapped(String subject, String source, String target) { entries.add(new Entry(Kind.MAPPED, subject, source, target, "")); }

    void mapped(String subject, String source, String target, String note) { entries.add(new Entry(Kind.MAPPED, subject, source, target, note)); }

    void approx(String subject, String source, String target, String how) { entries.add(new Entry(Kind.APPROXIMATE, subject, source, target, how)); }

    void none(String subject, String source, String why) { entries.add(new Entry(Kind.NONE, subject, source, "", why)); }

    void problem(String text) { problems.add(text); }

    public List<Entry> entries() { return Collections.unmodifiableList(entries); }

    public List<Entry> of(Kind k) { return entries.stream().filter(e -> e.kind() == k).toList(); }

    /** Why the spec would not deploy here as it is (a command not on PATH, a missing folder...). */
    public List<String> problems() { return Collections.unmodifiableList(problems); }

    /** The report as the CLI prints it on stderr. */
    public String render(String headline) {
        StringBuilder sb = new StringBuilder(headline).append('\n');
        section(sb, "mapped", of(Kind.MAPPED));
        section(sb, "mapped approximately", of(Kind.APPROXIMATE));
        section(sb, "no equivalent (left out)", of(Kind.NONE));
        if (!problems.isEmpty()) {
            sb.append("does not deploy here as it is (").append(problems.size()).append("):\n");
            for (String p : problems) sb.append("  ").append(p).append('\n');
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<Entry> es) {
        sb.append(title).append(" (").append(es.size()).append(")").append(es.isEmpty() ? "\n" : ":\n");
        for (Entry e : es) sb.append("  ").append(e.line()).append('\n');
    }
}

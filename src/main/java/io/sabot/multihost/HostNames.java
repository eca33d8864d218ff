package io.sabot.multihost;

/**
 * Names across hosts. The console's first host (the primary) keeps its names as they are; every
 * other host's agents, instances and topics carry its label: {@code web1/fraud_detector-0}. A
 * label holds no {@code /} and no blank, and agent names cannot hold a {@code /}, so a name says
 * its host without ambiguity.
 */
public final class HostNames {
    public static final char SEP = '/';

    private HostNames() {}

    /** {@code label/name}, or {@code name} for the primary (label null). */
    public static String qualify(String label, String name) {
        return label == null || name == null ? name : label + SEP + name;
    }

    /** The label a name carries, or null (the primary's). */
    public static String labelOf(String name) {
        if (name == null) return null;
        int i = name.indexOf(SEP);
        return i <= 0 ? null : name.substring(0, i);
    }

    /** The host of a name: its label, else {@code primary}. */
    public static String hostOf(String name, String primary) {
        String l = labelOf(name);
        return l == null ? primary : l;
    }

    /** The name on its own host (without the label). */
    public static String localName(String name) {
        if (name == null) return null;
        int i = name.indexOf(SEP);
        return i <= 0 ? name : name.substring(i + 1);
    }

    /** "" or "web1/": what {@link #qualify} puts before a name. */
    public static String prefixOf(String name) {
        String l = labelOf(name);
        return l == null ? "" : l + SEP;
    }

    /** Checks a label a person typed for a host; the message names what is wrong. */
    public static String checkLabel(String label) {
        if (label == null || label.isBlank()) throw new IllegalArgumentException("a host needs a name");
        String l = label.strip();
        if (!l.matches("[A-Za-z0-9][A-Za-z0-9._:\\[\\]-]{0,63}")) {
            throw new IllegalArgumentException("host name \"" + l + "\": letters, digits, '.', '-', ':' only (no '/' or blanks), at most 64");
        }
        return l;
    }
}

package io.sabot.spec;

/**
 * Instance ids, {@code NAME-I} (I from 0): the one place that makes and reads them. An agent's
 * name may itself contain '-', so the index is what follows the last one.
 */
public final class InstanceIds {
    private InstanceIds() {}

    public static String of(String agent, int index) { return agent + "-" + index; }

    /** The agent part of an instance id, or null if it is not {@code NAME-I}. */
    public static String agentOf(String id) {
        int dash = id.lastIndexOf('-');
        return dash > 0 && indexOf(id) >= 0 ? id.substring(0, dash) : null;
    }

    /** The index part of an instance id, or -1 if it is not {@code NAME-I}. */
    public static int indexOf(String id) {
        int dash = id.lastIndexOf('-');
        if (dash <= 0 || dash == id.length() - 1 || id.length() - dash > 10) return -1;
        for (int i = dash + 1; i < id.length(); i++) if (id.charAt(i) < '0' || id.charAt(i) > '9') return -1;
        return Integer.parseInt(id.substring(dash + 1));
    }
}

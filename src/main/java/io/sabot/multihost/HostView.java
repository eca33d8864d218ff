package io.sabot.multihost;

/**
 * One row of the console's Hosts list.
 *
 * @param label     the host's name in the console (its names' prefix; the primary's names have none)
 * @param url       its {@code ssh://} address, or null for the engine the console was opened on
 * @param primary   the console's own host
 * @param state     connection state and reason
 * @param version   its engine's sabot version, or null until known
 * @param pid       its engine's pid, or 0 until known
 * @param cpuPercent the host's CPU use (0..100 of all cores) from its latest metrics, or -1
 * @param memUsed   memory in use on the host, bytes, or -1
 * @param memTotal  the host's memory, bytes, or -1
 * @param running   instances RUNNING at its latest status
 * @param instances instances at its latest status
 */
public record HostView(String label, String url, boolean primary, HostState state, String version, long pid, double cpuPercent,
                       long memUsed, long memTotal, int running, int instances) {
}

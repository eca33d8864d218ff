package io.sabot.engine;

import java.util.List;

/** What a deploy did: agents added, changed (and restarted if running), unchanged, topics, and restart results. */
public record DeployResult(List<String> added, List<String> changed, List<String> unchanged, List<String> topics,
                           List<LifecycleResult> results) {
}

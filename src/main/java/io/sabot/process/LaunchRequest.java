package io.sabot.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What to spawn: an argv (never through a shell), its folder, extra environment, whether it
 * speaks the agent protocol (stdin becomes a pipe), where its log goes, and who hears its
 * protocol lines.
 */
public record LaunchRequest(
        String instanceId,
        List<String> argv,
        Path workdir,
        Map<String, String> env,
        boolean protocol,
        InstanceLog log,
        Consumer<String> protocolLines) {
}

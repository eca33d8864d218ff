package io.sabot.cli;

import io.sabot.control.Bridge;
import io.sabot.host.Homes;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sabot bridge [--home H]} (hidden): what {@code --host} runs on the remote side through ssh.
 * It joins stdin/stdout to the home's control socket ({@link Bridge}) until stdin ends.
 */
@Command(name = "bridge", hidden = true, description = "Join stdin/stdout to the home's control socket (what --host runs on the remote host through ssh).")
public final class BridgeCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() throws IOException {
        common.requireLocal("bridge"); // never follows SABOT_HOST from the remote user's environment either
        // the raw descriptors: a PrintStream would swallow the write error that says ssh is gone
        return Bridge.run(Homes.socket(common.home()), new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    }
}

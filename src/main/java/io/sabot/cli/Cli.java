package io.sabot.cli;

import io.sabot.control.NoEngineException;
import io.sabot.control.RemoteException;
import io.sabot.store.HomeLockedException;
import io.sabot.spec.SpecException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Runs a command line and maps what went wrong to the contract's exit codes. */
public final class Cli {
    private Cli() {}

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SabotCommand());
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        NumberOptions.install(cl); // bad numbers named in the user's words, not Java types
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            PrintWriter err = line.getErr();
            int code;
            String msg;
            if (ex instanceof SpecException) {
                code = ExitCodes.BAD_INPUT;
                msg = ex.getMessage();
            } else if (ex instanceof IllegalArgumentException) {
                code = ExitCodes.BAD_INPUT;
                msg = io.sabot.errors.UserMessages.describe(ex);
            } else if (ex instanceof NoEngineException || ex instanceof HomeLockedException) {
                code = ExitCodes.NO_ENGINE;
                msg = ex.getMessage();
            } else if (ex instanceof UnsupportedOperationException || ex instanceof RemoteException) {
                code = ExitCodes.PARTIAL;
                msg = io.sabot.errors.UserMessages.describe(ex);
            } else {
                // in words; a bug's stack trace only on request
                code = ExitCodes.PARTIAL;
                msg = io.sabot.errors.UserMessages.describe(ex);
                if (io.sabot.errors.UserMessages.isBug(ex)) {
                    msg = "internal error in Sabot (a bug; SABOT_DEBUG=1 prints the details)";
                    if (System.getenv("SABOT_DEBUG") != null) ex.printStackTrace(err);
                }
            }
            err.println(line.getCommandSpec().qualifiedName() + ": " + msg);
            err.flush();
            return code;
        });
        return cl;
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }
}

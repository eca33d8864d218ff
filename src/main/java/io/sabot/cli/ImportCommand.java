package io.sabot.cli;

import io.sabot.importer.ImportException;
import io.sabot.importer.ImportResult;
import io.sabot.importer.Importer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sabot import FILE [-o OUT]}: a PM2 ecosystem file, a supervisord configuration or a
 * process-compose file to a Sabot spec (YAML on stdout, or OUT: JSON when it ends in .json), with
 * the report on stderr. Exit 2 when FILE is none of these; 1 when the spec was written but would
 * not deploy here as it is (each problem named); 0 otherwise.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Convert a PM2 ecosystem file (JSON, YAML, or .config.js with node on PATH), a supervisord .conf or a "
                + "process-compose.yaml into a Sabot spec.",
                "The spec goes to stdout (YAML) or to OUT; the report (mapped, mapped approximately, no equivalent) to stderr."})
public final class ImportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "FILE", description = "ecosystem.config.js|.json|.yaml, supervisord.conf, process-compose.yaml") Path file;
    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the spec here (JSON if it ends in .json, else YAML)") Path output;
    @Option(names = "--json", description = "JSON instead of YAML on stdout") boolean json;
    @Option(names = "--env", paramLabel = "NAME", description = "PM2: also apply each app's env_NAME, as pm2 start --env NAME does") String pm2Env;

    @Override
    public Integer call() throws IOException {
        ImportResult r;
        try {
            r = Importer.importFile(file, new Importer.Options(pm2Env, System.getenv()));
        } catch (ImportException e) {
            spec.commandLine().getErr().println("sabot import: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.BAD_INPUT;
        }
        boolean asJson = output != null ? output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") : json;
        String text = Importer.render(r, asJson);
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            Path abs = output.toAbsolutePath();
            if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
                throw new IllegalArgumentException("-o: folder " + abs.getParent() + " does not exist");
            }
            // written whole or not at all
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        StringBuilder head = new StringBuilder("sabot import: ").append(r.headline());
        if (output != null) head.append(", written to ").append(output);
        String report = r.report().render(head.toString());
        spec.commandLine().getErr().print(report);
        if (r.report().problems().isEmpty()) {
            spec.commandLine().getErr().println(output != null ? "next: sabot agents deploy " + output + " && sabot agents start --all"
                    : "next: save it to a file (-o spec.yaml), then sabot agents deploy spec.yaml");
        }
        spec.commandLine().getErr().flush();
        return r.report().problems().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }
}

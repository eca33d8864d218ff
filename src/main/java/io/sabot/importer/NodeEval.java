package io.sabot.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.spec.ExecutableCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JavaScript PM2 ecosystem file ({@code ecosystem.config.js}) is a program: {@code node} runs it
 * and prints its export as JSON (no JavaScript is evaluated in Java). The file runs in its own
 * folder with this environment, as {@code pm2 start ecosystem.config.js} would run it, for at most
 * {@value #TIMEOUT_S} s.
 */
final class NodeEval {
    static final int TIMEOUT_S = 20;
    private static final int MAX_OUTPUT = 4 * 1024 * 1024;
    // CommonJS and ES modules alike: import() of a CommonJS file gives module.exports as default
    private static final String SCRIPT = "const p=require('path'),u=require('url');"
            + "import(u.pathToFileURL(p.resolve(process.argv[1])).href).then(m=>{"
            + "const v=(m&&m.default!==undefined)?m.default:m;"
            + "process.stdout.write(JSON.stringify(v===undefined?null:v));"
            + "},e=>{process.stderr.write(String((e&&e.message)||e));process.exit(3);});";

    private NodeEval() {}

    static JsonNode exportOf(Path file) throws ImportException {
        Path node = ExecutableCheck.onPath("node");
        if (node == null) {
            throw new ImportException(file + ": is a JavaScript PM2 ecosystem file; reading it needs `node` on PATH, which was not found. "
                    + "Install Node.js (Debian/Ubuntu: sudo apt install nodejs; Fedora: sudo dnf install nodejs), or convert it to JSON "
                    + "first: node -e \"console.log(JSON.stringify(require('./" + file.getFileName() + "')))\" > ecosystem.json");
        }
        Path abs = file.toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(List.of(node.toString(), "--no-warnings", "-e", SCRIPT, abs.toString()))
                .directory(abs.getParent().toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ImportException(file + ": cannot run node to read it: " + e.getMessage());
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new ImportException(file + ": node did not finish reading it within " + TIMEOUT_S + " s (does the file start a server?)");
            }
            String stdout = new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            String stderr = new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                String first = stderr.isEmpty() ? "exit code " + p.exitValue() : stderr.lines().findFirst().orElse("");
                throw new ImportException(file + ": node could not load it as a PM2 ecosystem file: " + first);
            }
            if (stdout.length() >= MAX_OUTPUT) throw new ImportException(file + ": its export is larger than " + MAX_OUTPUT + " bytes");
            JsonNode tree = new ObjectMapper().readTree(stdout);
            if (tree == null || tree.isNull() || !(tree.isObject() || tree.isArray())) {
                throw new ImportException(file + ": exports nothing usable (module.exports must be {apps: [...]})");
            }
            return tree;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new ImportException(file + ": interrupted while node was reading it");
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ImportException(file + ": node's output could not be read as JSON: " + e.getMessage());
        }
    }

    private static byte[] drain(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) if (b.size() < MAX_OUTPUT) b.write(buf, 0, Math.min(n, MAX_OUTPUT - b.size()));
        } catch (IOException ignored) {
            // the process ended
        }
        return b.toByteArray();
    }
}

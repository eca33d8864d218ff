package io.sabot.importer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code sabot import}: recognises a PM2 ecosystem file (JSON, YAML, or JavaScript run through
 * {@code node}), a supervisord configuration or a process-compose file, and turns it into a Sabot
 * spec tree plus a report of what mapped, what mapped approximately and what has no equivalent.
 *
 * <p>Guarantees, each held by a test in {@code ImporterTest} / {@code ImportDeployTest}:
 * <ul>
 *   <li>a file that is none of these formats is refused with a message naming the file and why
 *       (never a Java exception name);</li>
 *   <li>every key the source sets appears in the report, once;</li>
 *   <li>the spec is checked with the same parser {@code sabot agents deploy} uses; what would keep
 *       it from deploying here (a command not on PATH, a missing folder) is listed as a problem;</li>
 *   <li>the imported spec deploys and its agents run (real processes).</li>
 * </ul>
 */
public final class Importer {
    static final long MAX_BYTES = 4L * 1024 * 1024;
    private static final Pattern INI_SECTION = Pattern.compile(
            "(?m)^[ \\t]*\\[(program|group|supervisord|include|eventlistener|fcgi-program|unix_http_server|inet_http_server|supervisorctl|rpcinterface)(:[^\\]]*)?\\]");

    /**
     * @param pm2Env      PM2's {@code --env NAME}: also apply each app's {@code env_NAME} (null: none)
     * @param environment the environment supervisord's {@code %(ENV_X)s} and process-compose's
     *                    {@code $VAR} expand from (normally {@code System.getenv()})
     */
    public record Options(String pm2Env, Map<String, String> environment) {
        public static Options defaults() { return new Options(null, System.getenv()); }
    }

    private Importer() {}

    /** Reads, recognises and converts {@code file}. */
    public static ImportResult importFile(Path file, Options opt) throws ImportException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        Path dir = file.toAbsolutePath().getParent();
        ImportResult r;
        if (lower.endsWith(".js") || lower.endsWith(".cjs") || lower.endsWith(".mjs")) {
            check(file);
            JsonNode tree = NodeEval.exportOf(file);
            r = Pm2Importer.convert(file.toString(), tree, dir, opt);
        } else {
            String text = read(file);
            if (lower.endsWith(".conf") || lower.endsWith(".ini") || INI_SECTION.matcher(text).find()) {
                if (!INI_SECTION.matcher(text).find()) {
                    throw new ImportException(file + ": has no [program:x], [group:x] or [supervisord] section, so it is not a "
                            + "supervisord configuration (and not a PM2 ecosystem file or process-compose.yaml)");
                }
                r = SupervisordImporter.convert(file, text, opt);
            } else {
                r = structured(file, text, lower, dir, opt);
            }
        }
        validate(r, dir);
        return r;
    }

    private static ImportResult structured(Path file, String text, String lower, Path dir, Options opt) throws ImportException {
        boolean json = lower.endsWith(".json");
        JsonNode root;
        try {
            ObjectMapper m = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
            m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = m.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ImportException(file + ": is not valid " + (json ? "JSON" : "YAML") + where + " (" + e.getOriginalMessage()
                    + "), so it is not a PM2 ecosystem file or process-compose.yaml");
        }
        if (root != null && root.isArray() && root.size() > 0 && root.get(0).isObject() && root.get(0).has("script")) {
            return Pm2Importer.convert(file.toString(), root, dir, opt);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ImportException(file + ": is empty; expected a PM2 ecosystem file, a supervisord .conf or a process-compose.yaml");
        }
        if (!root.isObject()) {
            throw new ImportException(file + ": holds " + kind(root) + ", not an object with \"apps\" (PM2 ecosystem file) or "
                    + "\"processes\" (process-compose.yaml), and it is not a supervisord .conf");
        }
        if (root.has("processes")) return ProcessComposeImporter.convert(file, text, root, opt);
        if (root.has("apps")) return Pm2Importer.convert(file.toString(), root, dir, opt);
        if (root.has("agents")) {
            throw new ImportException(file + ": is already a Sabot spec (it has \"agents\"); deploy it with: sabot agents deploy " + file);
        }
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext() && keys.size() < 8; ) keys.add(it.next());
        throw new ImportException(file + ": has top-level keys " + keys + "; expected \"apps\" (PM2 ecosystem file) or "
                + "\"processes\" (process-compose.yaml), and it is not a supervisord .conf");
    }

    private static String kind(JsonNode n) {
        if (n.isArray()) return "a list";
        if (n.isTextual()) return "a plain string";
        if (n.isNumber()) return "a number";
        return n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static void check(Path file) throws ImportException {
        if (Files.isDirectory(file)) throw new ImportException(file + ": is a directory, not a file to import");
        if (!Files.isReadable(file)) throw new ImportException(file + ": cannot be read (missing or no permission)");
        try {
            if (Files.size(file) > MAX_BYTES) throw new ImportException(file + ": is " + Files.size(file) + " bytes; at most " + MAX_BYTES + " can be imported");
        } catch (IOException e) {
            throw new ImportException(file + ": cannot be read: " + e.getMessage());
        }
    }

    static String read(Path file) throws ImportException {
        check(file);
        try {
            byte[] b = Files.readAllBytes(file);
            for (int i = 0; i < Math.min(b.length, 8192); i++) {
                if (b[i] == 0) throw new ImportException(file + ": is a binary file, not a PM2 ecosystem file, supervisord .conf or process-compose.yaml");
            }
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new ImportException(file + ": is not UTF-8 text");
        } catch (IOException e) {
            throw new ImportException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /** Runs the spec through the deploy parser; what fails is listed as a problem in the report. */
    private static void validate(ImportResult r, Path dir) {
        try {
            SpecParser.fromTree(r.spec(), r.source(), dir);
        } catch (SpecException e) {
            JsonNode agents = r.spec().path("agents");
            for (SpecError err : e.errors()) {
                String path = err.path();
                java.util.regex.Matcher m = Pattern.compile("^agents\\[(\\d+)\\](.*)$").matcher(path);
                if (m.matches()) {
                    int i = Integer.parseInt(m.group(1));
                    String agent = agents.path(i).path("name").asText("agent " + i);
                    r.report().problem(agent + (m.group(2).isEmpty() ? "" : " " + m.group(2).substring(1)) + ": " + err.message());
                } else {
                    r.report().problem(err.toString());
                }
            }
        }
    }

    /** The spec as a file's text: YAML (with a header comment) or JSON. */
    public static String render(ImportResult r, boolean json) {
        try {
            if (json) {
                return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.spec()) + "\n";
            }
            YAMLFactory yf = YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build();
            String body = new ObjectMapper(yf).writeValueAsString(r.spec());
            return "# Sabot spec imported from " + r.source() + " (" + r.format().title + ") by `sabot import`.\n"
                    + "# Deploy it with: sabot agents deploy FILE\n" + body;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the spec: " + e.getOriginalMessage(), e);
        }
    }

    /** A new, empty spec tree: {@code {"agents": []}}. */
    static ObjectNode emptySpec() {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.putArray("agents");
        return root;
    }
}

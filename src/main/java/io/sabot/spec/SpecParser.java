package io.sabot.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a spec file (JSON, or YAML for .yaml/.yml) and turns it into a resolved {@link FleetSpec},
 * collecting every problem with its field path instead of stopping at the first.
 *
 * <p>Defaults: concurrency 1; group = the agent's name; strategy one_for_one; startTimeoutMs
 * 10000; stopGraceMs 5000; protocol true for builtins, false for commands; restart permanent,
 * maxRestarts 5 within 60 s, backoff 100 ms doubling to 30 s with 10% jitter, reset after 10 s
 * up; health heartbeatTimeoutMs 5000 (protocol agents only), startSeconds 0; no limits; topics:
 * 12 partitions, sticky, 50 records/s per partition, start earliest; a Kafka topic (with
 * {@code cluster}) takes its partition count from the broker unless {@code create} is true
 * (then 12, replication the broker's default); consumerGroup = the agent's name; no outputs.
 * A supervision group without a {@code groups} entry takes its strategy from its agents and its
 * intensity from its first agent's restart settings ({@link GroupChecks}).
 */
public final class SpecParser {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    public static final long MAX_FILE_BYTES = 4L * 1024 * 1024;
    public static final int MAX_CONCURRENCY = 1000;
    /**
     * Most instances one engine runs, all agents together. Each holds a log file open and, while
     * running, two or three pipes: far more would exhaust the engine's file descriptors.
     */
    public static final int MAX_INSTANCES = 10_000;
    /** The built-in agent kinds, as the agent runtime defines them. */
    public static final Set<String> BUILTIN_KINDS = Set.of(io.sabot.agent.AgentKind.BUILTIN);
    public static final Set<String> TOPIC_STRATEGIES = TopicStrategy.names();

    private static final Set<String> ROOT_FIELDS = Set.of("agents", "topics", "groups", "alerts", "clusters", "consumerGroups");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "strategy", "maxRestarts", "withinSeconds");
    private static final Set<String> AGENT_FIELDS = Set.of("name", "command", "builtin", "workdir", "env",
            "concurrency", "group", "strategy", "dependsOn", "topic", "startTimeoutMs", "stopGraceMs", "protocol",
            "restart", "health", "limits", "outputs", "consumerGroup", "partitionStrategy", "logs", "state");
    private static final Set<String> STATE_FIELDS = Set.of("backend", "checkpointIntervalMs", "standbys");
    private static final Set<String> RESTART_FIELDS = Set.of("policy", "maxRestarts", "withinSeconds", "backoff");
    private static final Set<String> BACKOFF_FIELDS = Set.of("initialMs", "maxMs", "multiplier", "jitter", "resetAfterMs");
    private static final Set<String> HEALTH_FIELDS = Set.of("heartbeatTimeoutMs", "startSeconds", "readiness", "liveness");
    private static final Set<String> LIMIT_FIELDS = Set.of("memoryMb", "cpuPercent");
    private static final Set<String> LOG_FIELDS = Set.of("maxFileMb", "keep", "compress", "maxAgeHours");
    private static final Set<String> TOPIC_FIELDS = Set.of("name", "partitions", "strategy", "ratePerSec", "originEpochMs",
            "cluster", "create", "replication", "start");
    private static final Set<String> CLUSTER_FIELDS = Set.of("name", "bootstrapServers", "properties");
    /** Topic names: what the embedded stream and Kafka both accept. */
    public static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Consumer group ids: Kafka's legal characters, no spaces. */
    public static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final List<SpecError> errors = new ArrayList<>();
    private final Path baseDir;
    /** Names of the agents whose spec names a supervision strategy itself (not the default). */
    private final Set<String> explicitStrategy = new HashSet<>();

    private SpecParser(Path baseDir) { this.baseDir = baseDir; }

    /** Reads and validates a spec file; relative paths in it resolve against the file's folder. */
    public static FleetSpec parseFile(Path file) throws SpecException {
        String source = file.toString();
        if (Files.isDirectory(file)) throw single(source, "", "is a directory, not a spec file");
        if (!Files.isReadable(file)) throw single(source, "", "cannot be read (missing or no permission)");
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw single(source, "", "is " + size + " bytes; a spec file may be at most " + MAX_FILE_BYTES);
            }
            String text = Files.readString(file);
            if (text.startsWith("\uFEFF")) text = text.substring(1); // a byte order mark, as some editors write
            String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean yaml = lower.endsWith(".yaml") || lower.endsWith(".yml");
            Path dir = file.toAbsolutePath().getParent();
            return parse(text, yaml, source, dir);
        } catch (java.nio.charset.MalformedInputException e) {
            throw single(source, "", "is not UTF-8 text");
        } catch (IOException e) {
            throw single(source, "", "cannot be read: " + e.getMessage());
        }
    }

    /** Parses spec text. {@code baseDir} resolves relative workdirs and command paths (null: none allowed). */
    public static FleetSpec parse(String text, boolean yaml, String source, Path baseDir) throws SpecException {
        JsonNode root;
        try {
            root = mapper(yaml).readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String what = e.getOriginalMessage();
            if (what != null && what.startsWith("Trailing token")) {
                what = "more content after the end of the spec (a file holds one " + (yaml ? "YAML document" : "JSON object") + ")";
            }
            throw single(source, "", "is not valid " + (yaml ? "YAML" : "JSON") + where + ": " + what);
        }
        return fromTree(root, source, baseDir);
    }

    /** Validates and resolves an already parsed tree (the control socket receives specs this way). */
    public static FleetSpec fromTree(JsonNode root, String source, Path baseDir) throws SpecException {
        SpecParser p = new SpecParser(baseDir);
        FleetSpec spec = p.fleet(root);
        if (!p.errors.isEmpty()) throw new SpecException(source, p.errors);
        return spec;
    }

    static ObjectMapper mapper(boolean yaml) {
        ObjectMapper m = yaml ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // a second object (or YAML document) after the first is an error, not silently dropped
        m.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        return m;
    }

    private static SpecException single(String source, String path, String msg) {
        return new SpecException(source, List.of(new SpecError(path, msg)));
    }

    private void error(String path, String msg) { errors.add(new SpecError(path, msg)); }

    // ---- structure --------------------------------------------------------------------------

    private FleetSpec fleet(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            error("", "is empty; expected an object with \"agents\"");
            return new FleetSpec(List.of(), List.of());
        }
        if (!root.isObject()) {
            error("", "must be an object with \"agents\" (and optionally \"topics\"), was " + kind(root));
            return new FleetSpec(List.of(), List.of());
        }
        unknownFields(root, "", ROOT_FIELDS);
        List<ClusterSpec> clusters = clusters(root.get("clusters"));
        List<TopicSpec> topics = new ArrayList<>();
        JsonNode tn = root.get("topics");
        if (tn != null && !tn.isNull()) {
            if (!tn.isArray()) error("topics", "must be a list, was " + kind(tn));
            else {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < tn.size(); i++) {
                    TopicSpec t = topic(tn.get(i), "topics[" + i + "]");
                    if (t != null && !seen.add(t.name())) error("topics[" + i + "].name", "duplicate topic \"" + t.name() + "\"");
                    if (t != null) topics.add(t);
                }
            }
        }
        List<GroupSpec> groups = groups(root.get("groups"));
        List<AgentSpec> agents = new ArrayList<>();
        JsonNode an = root.get("agents");
        if (an == null || an.isNull()) error("agents", "is required (a list of agents)");
        else if (!an.isArray()) error("agents", "must be a list, was " + kind(an));
        else {
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (int i = 0; i < an.size(); i++) {
                AgentSpec a = agent(an.get(i), "agents[" + i + "]");
                if (a == null) continue;
                Integer prev = seen.putIfAbsent(a.name(), i);
                if (prev != null) error("agents[" + i + "].name", "duplicate agent \"" + a.name() + "\" (also agents[" + prev + "])");
                agents.add(a);
            }
            long total = agents.stream().mapToLong(AgentSpec::concurrency).sum();
            if (total > MAX_INSTANCES) error("agents", "asks for " + total + " instances in all; an engine runs at most " + MAX_INSTANCES);
            agents = GroupChecks.resolveStrategies(agents, explicitStrategy, groups, errors);
            if (errors.isEmpty()) FleetChecks.crossCheck(new FleetSpec(agents, topics, groups, List.of(), clusters), null, errors);
        }
        List<AlertSpec> alerts = AlertSpecParser.parse(root.get("alerts"), errors);
        List<ConsumerGroupSpec> consumerGroups = ConsumerGroupSpec.parse(root.get("consumerGroups"), errors);
        FleetSpec fleet = new FleetSpec(agents, topics, groups, alerts, clusters, consumerGroups);
        if (errors.isEmpty()) ConsumerGroupSpec.check(fleet, errors);
        return fleet;
    }

    private List<ClusterSpec> clusters(JsonNode cn) {
        List<ClusterSpec> out = new ArrayList<>();
        if (cn == null || cn.isNull()) return out;
        if (!cn.isArray()) { error("clusters", "must be a list, was " + kind(cn)); return out; }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cn.size(); i++) {
            ClusterSpec c = cluster(cn.get(i), "clusters[" + i + "]");
            if (c != null && !seen.add(c.name())) error("clusters[" + i + "].name", "duplicate cluster \"" + c.name() + "\"");
            if (c != null) out.add(c);
        }
        return out;
    }

    private ClusterSpec cluster(JsonNode n, String path) {
        if (!n.isObject()) { error(path, "must be an object, was " + kind(n)); return null; }
        unknownFields(n, path, CLUSTER_FIELDS);
        String name = requiredName(n, path);
        String bootstrap = string(n, path, "bootstrapServers", null);
        if (bootstrap == null && !hasField(n, "bootstrapServers")) error(path + ".bootstrapServers", "is required (host:port[,host:port...])");
        if (bootstrap != null) {
            String problem = KafkaClientChecks.bootstrapProblem(bootstrap);
            if (problem != null) error(path + ".bootstrapServers", problem);
        }
        Map<String, String> props = new LinkedHashMap<>();
        JsonNode pn = n.get("properties");
        if (pn != null && !pn.isNull()) {
            if (!pn.isObject()) error(path + ".properties", "must be an object of client properties, was " + kind(pn));
            else {
                for (Iterator<Map.Entry<String, JsonNode>> it = pn.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    String p = path + ".properties." + e.getKey();
                    if (v.isTextual() || v.isNumber() || v.isBoolean()) props.put(e.getKey(), v.asText());
                    else error(p, "must be a string, number or boolean, was "
                            + (ClusterSpec.isSecretProperty(e.getKey()) ? v.getNodeType().toString().toLowerCase(Locale.ROOT) : kind(v)));
                }
                // names and values checked against Kafka's own client configuration (a secret's value is never echoed)
                KafkaClientChecks.problems(props).forEach((k, msg) -> error(path + ".properties." + k, msg));
            }
        }
        return name == null ? null : new ClusterSpec(name, bootstrap, props);
    }

    /** The {@code groups} list: each entry a group's own strategy and intensity. */
    private List<GroupSpec> groups(JsonNode gn) {
        List<GroupSpec> out = new ArrayList<>();
        if (gn == null || gn.isNull()) return out;
        if (!gn.isArray()) {
            error("groups", "must be a list, was " + kind(gn));
            return out;
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < gn.size(); i++) {
            JsonNode n = gn.get(i);
            String path = "groups[" + i + "]";
            if (!n.isObject()) { error(path, "must be an object, was " + kind(n)); continue; }
            unknownFields(n, path, GROUP_FIELDS);
            String name = requiredName(n, path);
            SupervisionStrategy strategy = hasField(n, "strategy") ? enumValue(n, path, "strategy", null, SupervisionStrategy.class) : null;
            Integer max = hasField(n, "maxRestarts") ? (int) integer(n, path, "maxRestarts", RestartSpec.DEFAULT.maxRestarts(), 0, 1_000_000_000) : null;
            Integer within = hasField(n, "withinSeconds") ? (int) integer(n, path, "withinSeconds", RestartSpec.DEFAULT.withinSeconds(), 1, 86_400 * 365) : null;
            if (name == null) continue;
            Integer prev = seen.putIfAbsent(name, i);
            if (prev != null) { error(path + ".name", "duplicate group \"" + name + "\" (also groups[" + prev + "])"); continue; }
            out.add(new GroupSpec(name, strategy, max, within));
        }
        return out;
    }

    private TopicSpec topic(JsonNode n, String path) {
        if (!n.isObject()) { error(path, "must be an object, was " + kind(n)); return null; }
        unknownFields(n, path, TOPIC_FIELDS);
        String name = requiredTopicName(n, path);
        String cluster = string(n, path, "cluster", null);
        boolean create = bool(n, path, "create", false);
        if (create && cluster == null && hasField(n, "create")) error(path + ".create", "applies to Kafka topics only (give the topic a \"cluster\")");
        // a Kafka topic's partition count is the broker's unless Sabot creates it (0: not known until the broker says)
        int defaultPartitions = cluster != null && !create ? 0 : TopicSpec.DEFAULT_PARTITIONS;
        // 0 (the broker's count) is what a stored or shown Kafka topic without "create" carries
        int partitions = (int) integer(n, path, "partitions", defaultPartitions, defaultPartitions == 0 ? 0 : 1, 100_000);
        int replication = (int) integer(n, path, "replication", 0, 0, Short.MAX_VALUE);
        if (replication > 0 && !create) error(path + ".replication", "applies only with \"create\": true");
        String strategy = enumString(n, path, "strategy", TopicSpec.DEFAULT_STRATEGY, TOPIC_STRATEGIES);
        double rate = number(n, path, "ratePerSec", TopicSpec.DEFAULT_RATE, 0.001, 1_000_000);
        long origin = integer(n, path, "originEpochMs", 0, 0, 32_503_680_000_000L);
        String start = enumString(n, path, "start", TopicSpec.EARLIEST, Set.of(TopicSpec.EARLIEST, TopicSpec.LATEST));
        return name == null ? null : new TopicSpec(name, partitions, strategy, rate, origin, cluster, create, replication, start);
    }

    private AgentSpec agent(JsonNode n, String path) {
        if (!n.isObject()) { error(path, "must be an object, was " + kind(n)); return null; }
        unknownFields(n, path, AGENT_FIELDS);
        String name = requiredName(n, path);
        List<String> command = stringList(n, path, "command", false);
        String builtin = string(n, path, "builtin", null);
        if (command != null && builtin != null) error(path, "has both \"command\" and \"builtin\"; give exactly one");
        if (command == null && builtin == null && !hasField(n, "command") && !hasField(n, "builtin")) {
            error(path, "needs one of \"command\" (an argv list) or \"builtin\" (one of " + sorted(BUILTIN_KINDS) + ")");
        }
        if (builtin != null && !BUILTIN_KINDS.contains(builtin)) {
            error(path + ".builtin", "unknown builtin \"" + builtin + "\"; known: " + sorted(BUILTIN_KINDS));
        }
        if (command != null && n.get("command").isEmpty()) error(path + ".command", "must not be empty");
        String workdir = string(n, path, "workdir", null);
        Path wd = null;
        if (workdir != null) {
            wd = resolve(workdir);
            if (wd == null) error(path + ".workdir", "relative path \"" + workdir + "\" has no spec file folder to resolve against; use an absolute path");
            else if (!Files.isDirectory(wd)) error(path + ".workdir", "\"" + wd + "\" is not an existing directory");
            else workdir = wd.toString();
        }
        if (command != null && !command.isEmpty()) command = checkExecutable(command, path + ".command[0]", wd);
        Map<String, String> env = stringMap(n, path, "env");
        int concurrency = (int) integer(n, path, "concurrency", 1, 1, MAX_CONCURRENCY);
        String group = string(n, path, "group", null);
        if (group != null && !NAME.matcher(group).matches()) error(path + ".group", "must match " + NAME.pattern() + ", was \"" + group + "\"");
        SupervisionStrategy strategy = enumValue(n, path, "strategy", SupervisionStrategy.ONE_FOR_ONE, SupervisionStrategy.class);
        if (hasField(n, "strategy") && name != null) explicitStrategy.add(name);
        List<String> dependsOn = stringList(n, path, "dependsOn", true);
        List<String> topics = topicList(n, path, "topic");
        List<String> outputs = topicList(n, path, "outputs");
        String consumerGroup = string(n, path, "consumerGroup", null);
        if (consumerGroup != null && !GROUP_ID.matcher(consumerGroup).matches()) {
            error(path + ".consumerGroup", "must match " + GROUP_ID.pattern() + ", was \"" + consumerGroup + "\"");
        }
        String partitionStrategy = enumString(n, path, "partitionStrategy", null, TOPIC_STRATEGIES);
        long startTimeoutMs = integer(n, path, "startTimeoutMs", 10_000, 1, 3_600_000);
        long stopGraceMs = integer(n, path, "stopGraceMs", 5_000, 0, 3_600_000);
        boolean protocol = bool(n, path, "protocol", builtin != null);
        RestartSpec restart = restart(n.get("restart"), path + ".restart");
        HealthSpec health = health(n.get("health"), path + ".health");
        LimitsSpec limits = limits(n.get("limits"), path + ".limits");
        StateSpec state = state(n.get("state"), path + ".state");
        if (state != null && topics.isEmpty()) error(path + ".state", "state stores are kept per input partition; this agent consumes no topic (give it a \"topic\")");
        if (name == null) return null;
        return new AgentSpec(name, command, builtin, workdir, env, concurrency, group == null ? name : group, strategy,
                dependsOn, topics, startTimeoutMs, stopGraceMs, protocol, restart, health, limits, outputs,
                consumerGroup == null ? name : consumerGroup, partitionStrategy, logs(n.get("logs"), path + ".logs"), state);
    }

    private RestartSpec restart(JsonNode n, String path) {
        if (n == null || n.isNull()) return RestartSpec.DEFAULT;
        if (!n.isObject()) { error(path, "must be an object, was " + kind(n)); return RestartSpec.DEFAULT; }
        unknownFields(n, path, RESTART_FIELDS);
        RestartSpec d = RestartSpec.DEFAULT;
        RestartPolicy policy = enumValue(n, path, "policy", d.policy(), RestartPolicy.class);
        int max = (int) integer(n, path, "maxRestarts", d.maxRestarts(), 0, 1_000_000_000);
        int within = (int) integer(n, path, "withinSeconds", d.withinSeconds(), 1, 86_400 * 365);
        BackoffSpec b = backoff(n.get("backoff"), path + ".backoff");
        return new RestartSpec(policy, max, within, b);
    }

    private BackoffSpec backoff(JsonNode n, String path) {
        BackoffSpec d = BackoffSpec.DEFAULT;
        if (n == null || n.isNull()) return d;
        if (!n.isObject()) { error(path, "must be an object, was " + kind(n)); return d; }
        unknownFields(n, path, BACKOFF_FIELDS);
        long initial = integer(n, path, "initialMs", d.initialMs(), 0, 3_600_000);
        long max = integer(n, path, "maxMs", Math.max(initial, d.maxMs()), 0, 86_400_000);
        if (max < initial) error(path + ".maxMs", "must be >= initialMs (" + initial + "), was " + max);
        double mult = number(n, path, "multiplier", d.multiplier(), 1.0, 100.0);
        double jitter = number(n, path, "jitter", d.jitter(), 0.0, 1.0);
        long reset = integer(n, path, "resetAfterMs", d.resetAfterMs(), 0, 86_400_000);
        return new BackoffSpec(initial, max, mult, jitter, reset);
    }

    private HealthSpec health(JsonNode n, String path) {
        HealthSpec d = HealthSpec.DEFAULT;
        if (n == null || n.isNull()) return d;
        if (!n.isObject()) { error(path, "must be an object, was " + kind(n)); return d; }
        unknownFields(n, path, HEALTH_FIELDS);
        long hb = integer(n, path, "heartbeatTimeoutMs", d.heartbeatTimeoutMs(), 0, 3_600_000);
        if (hb > 0 && hb < 100) error(path + ".heartbeatTimeoutMs", "must be 0 (off) or >= 100, was " + hb);
        double ss = number(n, path, "startSeconds", d.startSeconds(), 0, 3600);
        ProbeParser probes = new ProbeParser(errors);
        return new HealthSpec(hb, ss, probes.probe(n.get("readiness"), path + ".readiness"),
                probes.probe(n.get("liveness"), path + ".liveness"));
    }

    /** The agent's state stores: a backend and how often a checkpoint is written. */
    private StateSpec state(JsonNode n, String path) {
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) { error(path, "must be an object like {\"backend\": \"memory\"}, was " + kind(n)); return null; }
        unknownFields(n, path, STATE_FIELDS);
        String backend = enumString(n, path, "backend", StateSpec.MEMORY, Set.of(StateSpec.MEMORY, StateSpec.ROCKSDB));
        long interval = integer(n, path, "checkpointIntervalMs", StateSpec.DEFAULT_CHECKPOINT_MS, 100, 86_400_000);
        // the contract's field; standby replicas are not built yet, so 0 is the one value that means what it says
        long standbys = integer(n, path, "standbys", 0, 0, 16);
        if (standbys > 0) {
            error(path + ".standbys", "standby replicas are not available yet, so it must be 0, was " + standbys
                    + " (a partition's new owner restores its state from the changelog)");
        }
        return new StateSpec(backend, interval);
    }

    /** An agent's {@code logs}: null (the defaults) when absent. */
    private LogSpec logs(JsonNode n, String path) {
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) { error(path, "must be an object, was " + kind(n)); return null; }
        unknownFields(n, path, LOG_FIELDS);
        LogSpec d = LogSpec.DEFAULT;
        double mb = number(n, path, "maxFileMb", d.maxFileMb(), LogSpec.MIN_FILE_MB, LogSpec.MAX_FILE_MB);
        int keep = (int) integer(n, path, "keep", d.keep(), 0, LogSpec.MAX_KEEP);
        boolean compress = bool(n, path, "compress", d.compress());
        Double age = hasField(n, "maxAgeHours") ? number(n, path, "maxAgeHours", 24, 0.001, LogSpec.MAX_AGE_HOURS) : null;
        return new LogSpec(mb, keep, compress, age);
    }

    private LimitsSpec limits(JsonNode n, String path) {
        if (n == null || n.isNull()) return LimitsSpec.NONE;
        if (!n.isObject()) { error(path, "must be an object, was " + kind(n)); return LimitsSpec.NONE; }
        unknownFields(n, path, LIMIT_FIELDS);
        Integer mem = n.has("memoryMb") && !n.get("memoryMb").isNull() ? (int) integer(n, path, "memoryMb", 0, 16, 1_048_576) : null;
        Integer cpu = n.has("cpuPercent") && !n.get("cpuPercent").isNull() ? (int) integer(n, path, "cpuPercent", 0, 1, 100 * 1024) : null;
        return new LimitsSpec(mem, cpu);
    }

    // ---- field readers: each records its own error and returns a usable fallback --------------

    private String requiredName(JsonNode n, String path) {
        JsonNode v = n.get("name");
        if (v == null || v.isNull()) { error(path + ".name", "is required"); return null; }
        if (!v.isTextual()) { error(path + ".name", "must be a string, was " + kind(v)); return null; }
        String s = v.asText();
        if (s.length() > 63) { error(path + ".name", "is " + s.length() + " characters; at most 63"); return null; }
        if (!NAME.matcher(s).matches()) {
            error(path + ".name", "must match " + NAME.pattern() + " (lower-case letters, digits, _ and -), was \"" + s + "\"");
            return null;
        }
        return s;
    }

    private String requiredTopicName(JsonNode n, String path) {
        JsonNode v = n.get("name");
        if (v == null || v.isNull()) { error(path + ".name", "is required"); return null; }
        if (!v.isTextual()) { error(path + ".name", "must be a string, was " + kind(v)); return null; }
        String s = v.asText();
        if (!TOPIC_NAME.matcher(s).matches()) {
            error(path + ".name", "must match " + TOPIC_NAME.pattern() + " (letters, digits, '.', '_' and '-', at most 128), was \"" + s + "\"");
            return null;
        }
        return s;
    }

    /** A topic name or a list of them (each once). */
    private List<String> topicList(JsonNode n, String path, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return List.of();
        String p = path + "." + f;
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            if (v.asText().isEmpty()) error(p, "must not be empty");
            else out.add(v.asText());
            return out;
        }
        if (!v.isArray()) { error(p, "must be a topic name or a list of topic names, was " + kind(v)); return out; }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || e.asText().isEmpty()) { error(p + "[" + i + "]", "must be a topic name, was " + kind(e)); continue; }
            if (out.contains(e.asText())) { error(p + "[" + i + "]", "topic \"" + e.asText() + "\" is listed twice"); continue; }
            out.add(e.asText());
        }
        return out;
    }

    private static boolean hasField(JsonNode n, String f) { return n.has(f) && !n.get(f).isNull(); }

    private String string(JsonNode n, String path, String f, String dflt) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual()) { error(path + "." + f, "must be a string, was " + kind(v)); return dflt; }
        if (v.asText().isEmpty()) { error(path + "." + f, "must not be empty"); return dflt; }
        return v.asText();
    }

    private boolean bool(JsonNode n, String path, String f, boolean dflt) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) { error(path + "." + f, "must be true or false, was " + kind(v)); return dflt; }
        return v.asBoolean();
    }

    private long integer(JsonNode n, String path, String f, long dflt, long min, long max) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return dflt;
        String p = path + "." + f;
        if (!v.isIntegralNumber()) {
            if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 1e15) {
                v = com.fasterxml.jackson.databind.node.LongNode.valueOf((long) v.asDouble());
            } else {
                error(p, "must be a whole number, was " + kind(v));
                return dflt;
            }
        }
        if (!v.canConvertToLong()) { error(p, "must be between " + min + " and " + max + ", was " + v.asText()); return dflt; }
        long x = v.asLong();
        if (x < min) { error(p, "must be >= " + min + ", was " + x); return dflt; }
        if (x > max) { error(p, "must be <= " + max + ", was " + x); return dflt; }
        return x;
    }

    private double number(JsonNode n, String path, String f, double dflt, double min, double max) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return dflt;
        String p = path + "." + f;
        if (!v.isNumber()) { error(p, "must be a number, was " + kind(v)); return dflt; }
        double x = v.asDouble();
        if (!Double.isFinite(x)) { error(p, "must be a finite number, was " + v.asText()); return dflt; }
        if (x < min) { error(p, "must be >= " + min + ", was " + v.asText()); return dflt; }
        if (x > max) { error(p, "must be <= " + max + ", was " + v.asText()); return dflt; }
        return x;
    }

    private String enumString(JsonNode n, String path, String f, String dflt, Set<String> allowed) {
        String s = string(n, path, f, null);
        if (s == null) return dflt;
        if (!allowed.contains(s)) { error(path + "." + f, "unknown value \"" + s + "\"; one of " + sorted(allowed)); return dflt; }
        return s;
    }

    private <E extends Enum<E>> E enumValue(JsonNode n, String path, String f, E dflt, Class<E> type) {
        Set<String> allowed = new java.util.TreeSet<>();
        for (E e : type.getEnumConstants()) allowed.add(e.name().toLowerCase(Locale.ROOT));
        String s = enumString(n, path, f, null, allowed);
        return s == null ? dflt : Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    }

    private List<String> stringList(JsonNode n, String path, String f, boolean names) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return null;
        String p = path + "." + f;
        if (!v.isArray()) {
            error(p, "must be a list of strings" + (f.equals("command") ? " (an argv, run without a shell)" : "") + ", was " + kind(v));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) { error(p + "[" + i + "]", "must be a string, was " + kind(e)); continue; }
            if (e.asText().indexOf('\0') >= 0) { error(p + "[" + i + "]", "must not contain a NUL character"); continue; }
            if (names && !NAME.matcher(e.asText()).matches()) { error(p + "[" + i + "]", "\"" + e.asText() + "\" is not a valid agent name"); continue; }
            out.add(e.asText());
        }
        if (f.equals("command") && !out.isEmpty() && out.get(0).isEmpty()) error(p + "[0]", "must not be empty");
        return out;
    }

    private Map<String, String> stringMap(JsonNode n, String path, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return Map.of();
        String p = path + "." + f;
        if (!v.isObject()) { error(p, "must be an object of string values, was " + kind(v)); return Map.of(); }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getKey().indexOf('\0') >= 0) {
                error(p, "invalid variable name \"" + e.getKey() + "\"");
            } else if (!e.getValue().isTextual()) {
                // a secret's value is never echoed, not even in an error message
                String was = io.sabot.telemetry.Secrets.isSecretName(e.getKey()) ? "a " + e.getValue().getNodeType().toString().toLowerCase(Locale.ROOT)
                        : kind(e.getValue());
                error(p + "." + e.getKey(), "must be a string, was " + was + " (quote it)");
            } else out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private void unknownFields(JsonNode n, String path, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (known.contains(f)) continue;
            String hint = closest(f, known);
            error(path.isEmpty() ? f : path + "." + f, "unknown field" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)")
                    + "; known: " + sorted(known));
        }
    }

    // ---- paths and commands -----------------------------------------------------------------

    private Path resolve(String p) {
        Path path = Path.of(p);
        if (path.isAbsolute()) return path.normalize();
        return baseDir == null ? null : baseDir.resolve(path).normalize();
    }

    /** A command with a slash is a path (relative to workdir, else the spec's folder); otherwise it is looked up on PATH. */
    private List<String> checkExecutable(List<String> command, String path, Path workdir) {
        String exe = command.get(0);
        if (exe.isEmpty()) return command;
        if (exe.contains("/")) {
            Path p = Path.of(exe);
            if (!p.isAbsolute()) {
                Path base = workdir != null ? workdir : baseDir;
                if (base == null) {
                    error(path, "relative path \"" + exe + "\" has no folder to resolve against; use an absolute path");
                    return command;
                }
                p = base.resolve(p).normalize();
            }
            String problem = ExecutableCheck.problem(p);
            if (problem != null) { error(path, problem); return command; }
            List<String> out = new ArrayList<>(command);
            out.set(0, p.toString());
            return out;
        }
        if (ExecutableCheck.onPath(exe) == null) error(path, "command \"" + exe + "\" not found on PATH");
        return command;
    }

    static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) return "missing";
        if (v.isNull()) return "null";
        if (v.isTextual()) {
            String s = v.asText();
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (v.isBoolean()) return v.asText();
        if (v.isNumber()) return v.asText();
        if (v.isArray()) return "a list";
        if (v.isObject()) return "an object";
        return v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static String sorted(Set<String> s) { return new java.util.TreeSet<>(s).toString(); }

    private static String closest(String f, Set<String> known) {
        String best = null;
        int bestD = 3;
        for (String k : known) {
            int d = distance(f.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestD) { bestD = d; best = k; }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    /** Serialises a resolved spec back to JSON (the store and the control socket carry it this way). */
    public static ObjectNode toTree(FleetSpec spec) {
        return new ObjectMapper().valueToTree(spec);
    }
}

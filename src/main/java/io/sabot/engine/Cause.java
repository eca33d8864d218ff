package io.sabot.engine;

/** Why a transition happened: recorded with every transition. */
public final class Cause {
    public static final String OPERATOR = "operator";
    public static final String CRASH = "crash";
    public static final String EXIT = "exit";
    public static final String LIMIT = "limit";
    public static final String HEALTH = "health";
    public static final String STRATEGY = "strategy";
    /** the instance's group exceeded its restart intensity */
    public static final String ESCALATION = "escalation";
    public static final String BACKOFF = "backoff";
    public static final String READY = "ready";
    public static final String START_TIMEOUT = "start-timeout";
    public static final String DEPLOY = "deploy";
    public static final String SCALE = "scale";
    public static final String RECOVERY = "recovery";
    public static final String SHUTDOWN = "shutdown";

    private Cause() {}
}

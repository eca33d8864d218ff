package io.sabot.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.engine.AlertView;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What channels send: the contract's webhook body, a Slack-compatible body, the command hook's environment. */
final class AlertJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private AlertJson() { }

    /** The contract's body: alert, on, state, agent, instance, message, startedAtEpochMs, traceId, and more. */
    static ObjectNode body(AlertView a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("alert", a.alert());
        n.put("on", a.on());
        n.put("state", a.state());
        n.put("agent", a.agent());
        n.put("instance", a.instance());
        n.put("message", a.message());
        n.put("startedAtEpochMs", a.startedAtEpochMs());
        if (a.resolvedAtEpochMs() == null) n.putNull("resolvedAtEpochMs");
        else n.put("resolvedAtEpochMs", a.resolvedAtEpochMs());
        n.put("traceId", a.traceId());
        n.put("id", a.id());
        n.put("key", a.key());
        n.put("test", a.test());
        n.put("source", "sabot");
        return n;
    }

    /** Slack's incoming-webhook body (also understood by Mattermost, Rocket.Chat and others). */
    static ObjectNode slack(AlertView a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("text", headline(a));
        return n;
    }

    static String headline(AlertView a) {
        String tag = a.test() ? "TEST" : a.state().toUpperCase(Locale.ROOT);
        return "[" + tag + "] " + a.alert() + " (" + a.on() + "): " + a.message()
                + (a.traceId() == null ? "" : " (trace " + a.traceId() + ")");
    }

    /** The command hook's environment additions. */
    static Map<String, String> env(AlertView a) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("SABOT_ALERT", a.alert());
        e.put("SABOT_ALERT_ON", a.on());
        e.put("SABOT_ALERT_STATE", a.state());
        e.put("SABOT_ALERT_AGENT", a.agent() == null ? "" : a.agent());
        e.put("SABOT_ALERT_INSTANCE", a.instance() == null ? "" : a.instance());
        e.put("SABOT_ALERT_MESSAGE", a.message());
        e.put("SABOT_ALERT_STARTED_AT_MS", Long.toString(a.startedAtEpochMs()));
        e.put("SABOT_ALERT_TRACE_ID", a.traceId() == null ? "" : a.traceId());
        e.put("SABOT_ALERT_ID", Long.toString(a.id()));
        e.put("SABOT_ALERT_TEST", Boolean.toString(a.test()));
        e.put("SABOT_ALERT_JSON", body(a).toString());
        return e;
    }
}

package io.sabot.alert;

import com.fasterxml.jackson.core.type.TypeReference;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sabot.concurrent.Threads;
import io.sabot.engine.AlertView;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.spec.AlertSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.store.AlertRepository;
import io.sabot.store.AlertRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alerting: hears engine events, decides with an {@link AlertEvaluator}, stores every alert
 * (when a store is attached), publishes it as an {@link EngineEvent.AlertEvent} (the console's
 * notifications) and hands it to the {@link Dispatcher} (webhook, command hook, desktop).
 *
 * <p>Guarantees: the engine is never blocked: its listener only offers to a bounded queue
 * ({@link #QUEUE}; when full, events are counted and dropped, and a tick still sees the state);
 * everything else runs on the {@code sabot-alerts} thread. Each alert state is delivered at most
 * once per channel (retries aside), rate limited per rule ({@code maxPerMinute}; suppressed
 * deliveries are recorded as such, and a resolution of a suppressed firing is suppressed too).
 */
public final class AlertService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.alert");
    static final int QUEUE = 10_000;
    static final long TICK_MS = 1000;

    private final LocalEngine engine;
    private final AlertRepository store;
    private final Tracer tracer;
    private final Dispatcher dispatcher;
    private final AlertEvaluator eval = new AlertEvaluator();
    private final RateLimit rateLimit = new RateLimit();
    private final BlockingQueue<Object> inbox = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong droppedEvents = new AtomicLong();
    private final Subscription sub;
    private final Thread thread;
    private volatile boolean closed;

    // owned by the alert thread
    private final Map<String, AlertView> current = new LinkedHashMap<>();
    private final Map<String, Boolean> suppressed = new LinkedHashMap<>();
    /** Recent alerts for engines without a store (and as a cache), newest last. */
    private final java.util.concurrent.ConcurrentLinkedDeque<AlertView> recent = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final AtomicLong localIds = new AtomicLong();

    private record Outcome(Dispatcher.Outcome o) { }

    private record TestRequest(String rule, CompletableFuture<AlertView> answer) { }

    private record Query(int limit, CompletableFuture<List<AlertView>> answer) { }

    /**
     * @param store            null for an engine without a store (tests, in-memory)
     * @param initialBackoffMs first webhook retry delay (doubling up to 60 s)
     */
    public AlertService(LocalEngine engine, AlertRepository store, long initialBackoffMs) {
        this.engine = engine;
        this.store = store;
        this.tracer = engine.config().tracer();
        this.dispatcher = new Dispatcher(tracer, initialBackoffMs, o -> offer(new Outcome(o)));
        FleetSpec spec = engine.spec();
        eval.rules(spec.alerts());
        eval.agents(spec.agents());
        if (store != null) {
            for (AlertRow r : store.firing()) {
                if (r.test()) continue;
                AlertView v = view(r);
                current.put(v.key(), v);
                eval.adopt(v.key(), v.alert(), v.on(), v.agent(), v.instance(), v.startedAtEpochMs());
            }
        }
        this.sub = engine.subscribe(this::onEvent);
        this.thread = Threads.start("sabot-alerts", this::run);
    }

    public AlertService(LocalEngine engine, AlertRepository store) { this(engine, store, 1000); }

    /** Engine events, on the engine's threads: only a non-blocking offer. */
    private void onEvent(EngineEvent e) {
        if (e instanceof EngineEvent.TransitionEvent || e instanceof EngineEvent.AssignmentEvent || e instanceof EngineEvent.SpecEvent
                || e instanceof EngineEvent.BrokerEvent || e instanceof EngineEvent.GroupEvent) {
            offer(e);
        }
    }

    private void offer(Object o) {
        if (!inbox.offer(o)) droppedEvents.incrementAndGet();
    }

    /** Events dropped because the queue was full (the engine outran the alert thread). */
    public long droppedEvents() { return droppedEvents.get(); }

    // ---- the alert thread ------------------------------------------------------------------

    private void run() {
        // ticks on the monotonic clock: a wall clock set back an hour must not hold evaluation for an hour
        long nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MS);
        while (!closed) {
            try {
                Object o = inbox.poll(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime())), TimeUnit.MILLISECONDS);
                if (o != null) handle(o);
                long mono = System.nanoTime();
                if (mono - nextTick >= 0) {
                    nextTick = mono + TimeUnit.MILLISECONDS.toNanos(TICK_MS);
                    // without rules or alerts a tick has nothing to evaluate: no look at every instance's figures
                    if (!eval.idle()) apply(eval.tick(System.currentTimeMillis(), engine.statusUnseen(Selection.everything()), engine.partitions(null)));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "alerts: " + e, e);
            }
        }
    }

    private void handle(Object o) {
        if (o instanceof EngineEvent.TransitionEvent t) {
            apply(eval.onTransition(t.transition()));
        } else if (o instanceof EngineEvent.AssignmentEvent a) {
            apply(eval.onRebalance(a.assignment().topic(), a.assignment().timeMs()));
        } else if (o instanceof EngineEvent.SpecEvent sp) {
            eval.rules(sp.spec().alerts());
            eval.agents(sp.spec().agents());
        } else if (o instanceof EngineEvent.BrokerEvent b) {
            eval.onBroker(b.status());
        } else if (o instanceof EngineEvent.GroupEvent g) {
            apply(eval.onGroup(g.change()));
        } else if (o instanceof Outcome out) {
            recordOutcome(out.o());
        } else if (o instanceof TestRequest t) {
            test(t);
        } else if (o instanceof Query q) {
            q.answer().complete(listRecent(q.limit()));
        }
    }

    private void apply(List<Change> changes) {
        for (Change c : changes) {
            AlertSpec rule = eval.rule(c.rule());
            AlertView v;
            if (c.firing()) {
                v = new AlertView(0, c.rule(), c.on(), AlertView.FIRING, c.agent(), c.instance(), c.key(), c.message(), c.timeMs(), null,
                        c.traceId(), false, List.of());
            } else {
                AlertView was = current.get(c.key());
                if (was == null) continue;
                v = new AlertView(was.id(), was.alert(), was.on(), AlertView.RESOLVED, was.agent(), was.instance(), was.key(),
                        c.message(), was.startedAtEpochMs(), c.timeMs(), was.traceId(), false, was.deliveries());
            }
            Span span = tracer.spanBuilder("alert " + c.rule() + " " + v.state()).setNoParent().startSpan();
            span.setAttribute("sabot.alert", c.rule());
            span.setAttribute("sabot.alert.on", c.on());
            span.setAttribute("sabot.alert.key", c.key());
            span.setAttribute("sabot.alert.message", c.message());
            if (v.traceId() != null) span.setAttribute("sabot.cause_trace", v.traceId());
            if (v.traceId() == null) {
                v = new AlertView(v.id(), v.alert(), v.on(), v.state(), v.agent(), v.instance(), v.key(), v.message(), v.startedAtEpochMs(),
                        v.resolvedAtEpochMs(), span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null, false, v.deliveries());
            }
            boolean quiet;
            if (c.firing()) {
                quiet = rule != null && !rateLimit.admit(rule.name(), rule.maxPerMinute(), c.timeMs());
                suppressed.put(c.key(), quiet);
            } else {
                quiet = Boolean.TRUE.equals(suppressed.remove(c.key()));
            }
            List<AlertView.Delivery> d = new ArrayList<>(v.deliveries());
            d.add(new AlertView.Delivery("console", "notifications", v.state(), quiet ? "suppressed" : "delivered", 1,
                    quiet ? "rate limit: more than " + rule.maxPerMinute() + " per minute" : null, c.timeMs()));
            v = save(v.withDeliveries(d));
            if (c.firing()) current.put(c.key(), v);
            else current.remove(c.key());
            engine.runtime().publish(new EngineEvent.AlertEvent(v));
            if (!quiet && rule != null) dispatcher.deliver(v, rule, Context.root().with(span));
            span.end();
        }
    }

    private void recordOutcome(Dispatcher.Outcome o) {
        AlertView a = o.alert();
        AlertView base = current.values().stream().filter(x -> x.id() == a.id()).findFirst().orElse(null);
        if (base == null) base = recent.stream().filter(x -> x.id() == a.id()).reduce((x, y) -> y).orElse(a);
        List<AlertView.Delivery> d = new ArrayList<>(base.deliveries());
        // one row per channel and state: the latest outcome replaces the earlier attempt
        d.removeIf(x -> x.channel().equals(o.delivery().channel()) && x.target().equals(o.delivery().target()) && x.state().equals(o.delivery().state()));
        d.add(o.delivery());
        AlertView v = save(base.withDeliveries(d));
        if (current.containsKey(v.key()) && current.get(v.key()).id() == v.id()) current.put(v.key(), v);
        engine.runtime().publish(new EngineEvent.AlertEvent(v));
    }

    private AlertView save(AlertView v) {
        AlertView out = v;
        if (store != null) {
            try {
                out = view(store.save(row(v)));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "alerts: could not store alert " + v.key() + ": " + e.getMessage());
            }
        } else if (v.id() == 0) {
            out = v.withId(localIds.incrementAndGet());
        }
        final long id = out.id();
        recent.removeIf(x -> x.id() == id);
        recent.addLast(out);
        while (recent.size() > 500) recent.removeFirst();
        return out;
    }

    private List<AlertView> listRecent(int limit) {
        if (store != null) {
            try {
                return store.recent(limit).stream().map(AlertService::view).toList();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "alerts: " + e.getMessage());
            }
        }
        List<AlertView> out = new ArrayList<>(recent);
        java.util.Collections.reverse(out);
        return out.subList(0, Math.min(limit, out.size()));
    }

    private void test(TestRequest t) {
        AlertSpec rule = eval.rule(t.rule());
        if (rule == null) {
            t.answer().completeExceptionally(new IllegalArgumentException("no alert rule named \"" + t.rule() + "\"; rules: "
                    + eval.rules().stream().map(AlertSpec::name).toList()));
            return;
        }
        long now = System.currentTimeMillis();
        Span span = tracer.spanBuilder("alert " + rule.name() + " test").setNoParent().startSpan();
        String trace = span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
        AlertView v = new AlertView(0, rule.name(), rule.on(), AlertView.FIRING, null, null, rule.name() + "/test/" + now,
                "test alert of rule " + rule.name() + " (" + rule.on() + "), sent by sabot alerts test", now, null, trace, true,
                List.of(new AlertView.Delivery("console", "notifications", AlertView.FIRING, "delivered", 1, null, now)));
        v = save(v);
        engine.runtime().publish(new EngineEvent.AlertEvent(v));
        dispatcher.deliver(v, rule, Context.root().with(span));
        span.end();
        int channels = 1 + (rule.webhook() != null ? 1 : 0) + (rule.command() != null ? 1 : 0) + (rule.desktop() ? 1 : 0);
        long id = v.id();
        // the answer waits for each channel's first outcome (bounded), on a thread of its own
        Thread waiter = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            AlertView last = null;
            while (System.nanoTime() - deadline < 0) {
                last = recent.stream().filter(x -> x.id() == id).reduce((x, y) -> y).orElse(null);
                if (last != null && last.deliveries().size() >= channels) break;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    break;
                }
            }
            t.answer().complete(last);
        }, "sabot-alert-test");
        waiter.setDaemon(true);
        waiter.start();
    }

    // ---- API -------------------------------------------------------------------------------

    /** Recent alerts, newest first. */
    public List<AlertView> alerts(int limit) {
        CompletableFuture<List<AlertView>> f = new CompletableFuture<>();
        if (!inbox.offer(new Query(limit, f))) return List.of();
        return await(f);
    }

    /** Fires a test alert through rule {@code name}'s channels; returns it with each channel's first outcome. */
    public AlertView test(String name) {
        CompletableFuture<AlertView> f = new CompletableFuture<>();
        if (!inbox.offer(new TestRequest(name, f))) throw new IllegalStateException("the alert service is busy; try again");
        return await(f);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the alert service did not answer within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    // ---- mapping to the store's rows --------------------------------------------------------

    private static final TypeReference<List<AlertView.Delivery>> DELIVERIES = new TypeReference<>() { };

    static AlertRow row(AlertView v) {
        try {
            return new AlertRow(v.id(), v.alert(), v.on(), v.key(), v.agent(), v.instance(), v.state(), v.message(), v.startedAtEpochMs(),
                    v.resolvedAtEpochMs(), v.traceId(), v.test(), AlertJson.JSON.writeValueAsString(v.deliveries()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static AlertView view(AlertRow r) {
        List<AlertView.Delivery> d;
        try {
            d = AlertJson.JSON.readValue(r.deliveriesJson(), DELIVERIES);
        } catch (java.io.IOException e) {
            d = List.of();
        }
        return new AlertView(r.id(), r.rule(), r.on(), r.state(), r.agent(), r.instance(), r.key(), r.message(), r.startedMs(), r.resolvedMs(),
                r.traceId(), r.test(), d);
    }

    @Override
    public void close() {
        closed = true;
        sub.close();
        io.sabot.concurrent.Threads.stop(thread, 5000);
        dispatcher.close();
    }
}

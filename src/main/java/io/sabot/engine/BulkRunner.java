package io.sabot.engine;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs one operation over many instances on the engine's operation pool: in parallel (bounded
 * by the pool), or as chains that run in parallel with one another while each chain goes one
 * instance at a time. One result per instance, in the order asked; one instance's failure never
 * aborts the others (a chain of starts halts at its first failure: the rest are not started).
 */
final class BulkRunner {
    @FunctionalInterface
    interface Op {
        LifecycleResult apply(Instance in, Context ctx);
    }

    private final ExecutorService ops;
    private final Tracer tracer;

    BulkRunner(ExecutorService ops, Tracer tracer) {
        this.ops = ops;
        this.tracer = tracer;
    }

    /** The root span of a bulk operation, named for it and its size. */
    Span rootSpan(String op, int count) {
        io.opentelemetry.api.trace.SpanBuilder b = tracer.spanBuilder(op + " (" + count + (count == 1 ? " instance)" : " instances)"));
        // a caller's context handed over the control protocol (W3C traceparent) joins this operation to the caller's trace
        io.opentelemetry.api.trace.SpanContext caller = Span.current().getSpanContext();
        Span s = (caller.isValid() && caller.isRemote() ? b.setParent(Context.current()) : b.setNoParent()).startSpan();
        s.setAttribute("sabot.operation", op);
        s.setAttribute("sabot.count", count);
        return s;
    }

    List<LifecycleResult> parallel(Context ctx, List<Instance> targets, Op fn) {
        List<List<Instance>> chains = new ArrayList<>();
        for (Instance in : targets) chains.add(List.of(in));
        return chains(ctx, chains, fn, false);
    }

    /** Chains in parallel, each in order; with {@code haltOnFailure}, a chain stops at its first failure. */
    List<LifecycleResult> chains(Context ctx, List<List<Instance>> chains, Op fn, boolean haltOnFailure) {
        if (chains.size() == 1) return chain(ctx, chains.get(0), fn, haltOnFailure);
        List<Future<List<LifecycleResult>>> futures = new ArrayList<>();
        for (List<Instance> c : chains) futures.add(ops.submit(() -> chain(ctx, c, fn, haltOnFailure)));
        List<LifecycleResult> out = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.addAll(futures.get(i).get());
            } catch (Exception e) {
                for (Instance in : chains.get(i)) out.add(LifecycleResult.failure("op", in.id, io.sabot.errors.UserMessages.describe(e)));
            }
        }
        return out;
    }

    private static List<LifecycleResult> chain(Context ctx, List<Instance> chain, Op fn, boolean haltOnFailure) {
        List<LifecycleResult> out = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Instance in = chain.get(i);
            LifecycleResult r = safely(in, ctx, fn);
            out.add(r);
            if (haltOnFailure && !r.success()) {
                for (Instance rest : chain.subList(i + 1, chain.size())) {
                    out.add(LifecycleResult.failure(r.operation(), rest.id, "not started: " + in.id + " before it in group \""
                            + in.spec.group() + "\" did not start"));
                }
                break;
            }
        }
        return out;
    }

    private static LifecycleResult safely(Instance in, Context ctx, Op fn) {
        try {
            return fn.apply(in, ctx);
        } catch (RuntimeException e) {
            if (io.sabot.errors.UserMessages.isBug(e)) e.printStackTrace(); // the details for the engine's log; the user gets words
            return LifecycleResult.failure("op", in.id, io.sabot.errors.UserMessages.describe(e));
        }
    }

    /** Results in the order of {@code order} (anything else after). */
    static List<LifecycleResult> reorder(List<Instance> order, List<LifecycleResult> results) {
        Map<String, LifecycleResult> byId = new LinkedHashMap<>();
        for (LifecycleResult r : results) byId.put(r.instance(), r);
        List<LifecycleResult> out = new ArrayList<>();
        for (Instance in : order) if (byId.containsKey(in.id)) out.add(byId.remove(in.id));
        out.addAll(byId.values());
        return out;
    }
}

package io.sabot.export;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.sabot.engine.AlertView;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.process.ProcStat;
import io.sabot.spec.InstanceIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The engine's figures as Prometheus metric families, read at scrape time (status and
 * partitions are in-memory reads of the engine; CPU time is read from /proc). Names follow the
 * Prometheus conventions: a {@code sabot_} prefix, base units in the name ({@code _seconds},
 * {@code _bytes}), {@code _total} on counters (added by the writer).
 *
 * <table>
 * <caption>families</caption>
 * <tr><td>sabot_instance_up</td><td>gauge</td><td>1 while RUNNING</td></tr>
 * <tr><td>sabot_instance_state</td><td>gauge</td><td>1 for the instance's state label</td></tr>
 * <tr><td>sabot_instance_restarts_total</td><td>counter</td><td>restarts, as {@code agents status} counts them</td></tr>
 * <tr><td>sabot_instance_cpu_seconds_total</td><td>counter</td><td>CPU time of the instance's processes</td></tr>
 * <tr><td>sabot_instance_memory_bytes</td><td>gauge</td><td>resident memory</td></tr>
 * <tr><td>sabot_consumer_lag_records</td><td>gauge</td><td>records behind, per group, topic, partition</td></tr>
 * </table>
 * and more below; labels {@code agent}, {@code instance}, {@code group}, {@code topic}, {@code partition}.
 */
final class SabotCollector implements MultiCollector {
    private static final String[] STATES = {"STOPPED", "STARTING", "RUNNING", "STOPPING", "BACKOFF", "FAILED"};

    private final LocalEngine engine;
    private final Supplier<List<AlertView>> alerts;
    /** CPU seconds of processes that ended, per instance, and the last reading of the live one. */
    private final Map<String, double[]> cpu = new HashMap<>();
    private final Map<String, Long> cpuPid = new HashMap<>();

    SabotCollector(LocalEngine engine, Supplier<List<AlertView>> alerts) {
        this.engine = engine;
        this.alerts = alerts;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        List<InstanceStatus> status = engine.status(Selection.everything());
        List<PartitionView> parts = engine.partitions(null);
        EngineInfo info = engine.info();
        List<MetricSnapshot> out = new ArrayList<>();

        out.add(InfoSnapshot.builder().name("sabot_engine").help("The engine: version and home")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", info.version(), "home", info.home())).build()).build());
        out.add(gauge("sabot_engine_start_time_seconds", "When the engine started, seconds since the epoch", Unit.SECONDS)
                .dataPoint(gp(Labels.EMPTY, info.startedAtMs() / 1000.0)).build());
        out.add(gauge("sabot_engine_agents", "Agents deployed", null).dataPoint(gp(Labels.EMPTY, info.agents())).build());
        out.add(gauge("sabot_engine_instances", "Instances deployed", null).dataPoint(gp(Labels.EMPTY, info.instances())).build());

        GaugeSnapshot.Builder up = gauge("sabot_instance_up", "1 while the instance is RUNNING, else 0", null);
        GaugeSnapshot.Builder healthy = gauge("sabot_instance_healthy", "1 while RUNNING and healthy (heartbeats on time)", null);
        GaugeSnapshot.Builder state = gauge("sabot_instance_state", "1 for the instance's current state", null);
        CounterSnapshot.Builder restarts = CounterSnapshot.builder().name("sabot_instance_restarts").help("Restarts of the instance after crashes");
        CounterSnapshot.Builder cpuSec = CounterSnapshot.builder().name("sabot_instance_cpu_seconds").help("CPU time (user and system) of the instance's processes").unit(Unit.SECONDS);
        GaugeSnapshot.Builder mem = gauge("sabot_instance_memory_bytes", "Resident memory of the instance's process", Unit.BYTES);
        GaugeSnapshot.Builder uptime = gauge("sabot_instance_uptime_seconds", "Time since the instance's process started", Unit.SECONDS);
        GaugeSnapshot.Builder threads = gauge("sabot_instance_threads", "Threads of the instance's process", null);
        GaugeSnapshot.Builder rate = gauge("sabot_instance_records_per_second", "Records processed per second, as the agent reports", null);
        GaugeSnapshot.Builder hbLag = gauge("sabot_instance_lag_records", "Records behind, as the agent reports in its heartbeats", null);
        for (InstanceStatus s : status) {
            Labels l = Labels.of("agent", s.agent(), "instance", s.id());
            up.dataPoint(gp(l, s.state() == InstanceState.RUNNING ? 1 : 0));
            healthy.dataPoint(gp(l, s.healthy() ? 1 : 0));
            for (String st : STATES) state.dataPoint(gp(Labels.of("agent", s.agent(), "instance", s.id(), "state", st), s.state().name().equals(st) ? 1 : 0));
            restarts.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l).value(s.restarts()).build());
            cpuSec.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l).value(cpuSeconds(s)).build());
            mem.dataPoint(gp(l, s.memoryBytes()));
            uptime.dataPoint(gp(l, s.uptimeMs() / 1000.0));
            threads.dataPoint(gp(l, s.threads()));
            rate.dataPoint(gp(l, s.messagesPerSec()));
            hbLag.dataPoint(gp(l, s.lag()));
        }
        out.add(up.build());
        out.add(healthy.build());
        out.add(state.build());
        out.add(restarts.build());
        out.add(cpuSec.build());
        out.add(mem.build());
        out.add(uptime.build());
        out.add(threads.build());
        out.add(rate.build());
        out.add(hbLag.build());

        GaugeSnapshot.Builder lag = gauge("sabot_consumer_lag_records", "Records behind the end of the partition, per consumer group", null);
        GaugeSnapshot.Builder lagSec = gauge("sabot_consumer_lag_seconds", "Seconds behind: records behind divided by the partition's production rate", Unit.SECONDS);
        GaugeSnapshot.Builder committed = gauge("sabot_consumer_committed_offset", "Offset committed by the consumer group", null);
        GaugeSnapshot.Builder produced = gauge("sabot_partition_records_per_second", "Production rate of the partition", null);
        GaugeSnapshot.Builder owned = gauge("sabot_partition_owner", "1 for the instance that owns the partition now", null);
        for (PartitionView p : parts) {
            String group = p.owner() == null ? "" : java.util.Objects.requireNonNullElse(InstanceIds.agentOf(p.owner()), p.owner());
            Labels l = Labels.of("group", group, "topic", p.topic(), "partition", Integer.toString(p.partition()));
            lag.dataPoint(gp(l, p.lag()));
            lagSec.dataPoint(gp(l, p.ratePerSec() > 0 ? p.lag() / p.ratePerSec() : 0));
            committed.dataPoint(gp(l, p.committedOffset()));
            produced.dataPoint(gp(Labels.of("topic", p.topic(), "partition", Integer.toString(p.partition())), p.ratePerSec()));
            if (p.owner() != null) {
                owned.dataPoint(gp(Labels.of("agent", group, "instance", p.owner(), "topic", p.topic(), "partition", Integer.toString(p.partition())), 1));
            }
        }
        out.add(lag.build());
        out.add(lagSec.build());
        out.add(committed.build());
        out.add(produced.build());
        out.add(owned.build());

        GaugeSnapshot.Builder firing = gauge("sabot_alerts_firing", "Alerts firing now, per rule", null);
        Map<String, Integer> perRule = new HashMap<>();
        for (io.sabot.spec.AlertSpec a : engine.spec().alerts()) perRule.put(a.name(), 0);
        for (AlertView a : alerts.get()) if (AlertView.FIRING.equals(a.state()) && !a.test()) perRule.merge(a.alert(), 1, Integer::sum);
        perRule.forEach((k, v) -> firing.dataPoint(gp(Labels.of("alert", k), v)));
        out.add(firing.build());
        return new MetricSnapshots(out);
    }

    /** CPU seconds of the instance so far: its ended processes (as last read) plus the live one. */
    private double cpuSeconds(InstanceStatus s) {
        double[] acc = cpu.computeIfAbsent(s.id(), k -> new double[2]); // [ended processes, live process]
        Long was = cpuPid.get(s.id());
        if (s.pid() == null || !s.pid().equals(was)) {
            acc[0] += acc[1];
            acc[1] = 0;
            if (s.pid() != null) cpuPid.put(s.id(), s.pid());
            else cpuPid.remove(s.id());
        }
        if (s.pid() != null) {
            long ticks = ProcStat.cpuTicks(s.pid());
            if (ticks >= 0) acc[1] = ticks / (double) ProcStat.HZ;
        }
        return acc[0] + acc[1];
    }

    private static GaugeSnapshot.Builder gauge(String name, String help, Unit unit) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        return unit == null ? b : b.unit(unit);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot gp(Labels l, double v) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(v).build();
    }
}

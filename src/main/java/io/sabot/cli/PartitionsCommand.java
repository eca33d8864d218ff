package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.PartitionView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sabot partitions show|rebalance}. */
@Command(name = "partitions", description = "Which instance owns which partition; rebalance.", mixinStandardHelpOptions = true,
        subcommands = {PartitionsCommand.Show.class, PartitionsCommand.Rebalance.class})
public final class PartitionsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.BAD_INPUT;
    }

    @Command(name = "show", description = "Per consumer group: owner, epoch, committed offset, end offset, lag, rate and cluster of each partition.", mixinStandardHelpOptions = true)
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "TOPIC", arity = "0..1", description = "one topic (default: all)") String topic;
        @Option(names = "--json", description = "a JSON array, one object per partition") boolean json;

        @Override
        public Integer call() {
            try (RemoteEngine e = common.connect()) {
                List<PartitionView> ps = e.partitions(topic);
                if (json) {
                    spec.commandLine().getOut().println(Output.json(ps));
                    spec.commandLine().getOut().flush();
                    return ExitCodes.OK;
                }
                if (ps.isEmpty()) {
                    spec.commandLine().getOut().println(topic == null ? "no topics" : "no partitions for topic " + topic);
                    spec.commandLine().getOut().flush();
                    return ExitCodes.OK;
                }
                List<List<String>> rows = new ArrayList<>();
                for (PartitionView p : ps) {
                    rows.add(List.of(p.topic(), p.group() == null ? "-" : p.group(), Integer.toString(p.partition()),
                            p.owner() == null ? "(unassigned)" : p.ownerInstance(), p.host() == null ? "-" : p.host(), Long.toString(p.epoch()), Long.toString(p.committedOffset()),
                            Long.toString(p.logEndOffset()), Long.toString(p.lag()), String.format(Locale.ROOT, "%.1f", p.ratePerSec()),
                            p.cluster() == null ? "(embedded)" : p.cluster() + (p.reachable() ? "" : " UNREACHABLE"),
                            p.moved() ? "moved" : p.kafkaCoordinated() ? "kafka-coordinated" : ""));
                }
                Output.table(spec.commandLine().getOut(), List.of("TOPIC", "GROUP", "PARTITION", "OWNER", "HOST", "EPOCH", "COMMITTED", "END", "LAG",
                        "RATE/S", "CLUSTER", ""), rows);
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "rebalance", description = "Reassign partitions now (optionally with another strategy).", mixinStandardHelpOptions = true)
    static final class Rebalance implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "TOPIC", arity = "0..1", description = "one topic (default: all)") String topic;
        @Option(names = "--strategy", paramLabel = "S", description = "sticky, round_robin, hash, range or load_balanced") String strategy;
        @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "operator", description = "recorded with the new epoch") String reason;

        @Override
        public Integer call() {
            if (strategy != null && !io.sabot.spec.SpecParser.TOPIC_STRATEGIES.contains(strategy)) {
                throw new IllegalArgumentException("--strategy: unknown strategy \"" + strategy + "\"; one of "
                        + new java.util.TreeSet<>(io.sabot.spec.SpecParser.TOPIC_STRATEGIES));
            }
            try (RemoteEngine e = common.connect()) {
                for (AssignmentView a : e.rebalance(topic, strategy, reason)) {
                    spec.commandLine().getOut().printf("%s%s: epoch %d (%s), %d partitions moved, %d unassigned%n",
                            a.topic(), a.group() == null ? "" : " (group " + a.group() + ")", a.epoch(), a.strategy(), a.moved().size(), a.unassigned().size());
                }
                spec.commandLine().getOut().flush();
                Output.notices(spec.commandLine().getErr(), e);
                return ExitCodes.OK;
            }
        }
    }
}

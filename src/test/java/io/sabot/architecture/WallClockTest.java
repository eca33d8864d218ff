package io.sabot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;

/**
 * The wall clock jumping back or forward an hour (NTP, a VM restored, someone setting the date)
 * changes no supervision decision: backoff, restart intensity windows, heartbeat, start and stop
 * timeouts all run on the monotonic clock ({@code System.nanoTime}, or the runtime's injectable
 * clock, which HealthMonitorPauseTest and GroupSupervisorTest drive by hand). A test cannot move
 * the machine's clock safely, so this holds it by construction: where the engine, the process
 * layer and the limits read the wall clock at all, it is only to stamp what people read
 * (transition times, start times shown as uptime, deploy times), in the methods listed here; a
 * new reading anywhere else fails this test until someone decides which clock it needs.
 */
@AnalyzeClasses(packages = "io.sabot", importOptions = ImportOption.DoNotIncludeTests.class)
class WallClockTest {
    /** Class.method (simple names) allowed to read the wall clock: time stamps for people, and file ages. */
    static final Set<String> STAMPS = Set.of(
            "EngineRuntime.<init>",        // startedAtMs, shown in info
            "LocalEngine.deploy",          // when a spec was deployed
            "LocalEngine.status", "LocalEngine.statusUnseen", // uptime shown = now - the wall time it started
            "InstanceRunner.spawn",        // startedAtMs of an instance
            "InstanceRunner.transition",   // the time of a transition, in history and the event log
            "GroupRunner.carryOut",        // the time a group escalation is reported
            // log rotation by age (logs.maxAgeHours) measures against file times, which are wall-clock by nature:
            // a jump rotates a log early or late, and decides nothing about a process
            "InstanceLog.write", "InstanceLog.modifiedMs", "InstanceLog.rotateIfNeeded");

    static final Set<String> WALL_CLOCK = Set.of(
            "java.lang.System.currentTimeMillis", "java.time.Instant.now", "java.time.Clock.systemUTC",
            "java.time.Clock.systemDefaultZone", "java.time.LocalDateTime.now", "java.time.ZonedDateTime.now",
            "java.time.OffsetDateTime.now", "java.time.LocalTime.now", "java.time.LocalDate.now");

    private static String origin(JavaMethodCall c) {
        String m = c.getOrigin().getName();
        if (m.startsWith("lambda$")) m = m.substring("lambda$".length(), m.lastIndexOf('$')); // a lambda counts as its method
        return c.getOriginOwner().getSimpleName() + "." + m;
    }

    static final DescribedPredicate<JavaMethodCall> WALL_CLOCK_READ_OUTSIDE_A_STAMP = DescribedPredicate.describe(
            "a wall clock reading outside the time stamps listed in WallClockTest.STAMPS",
            c -> WALL_CLOCK.contains(c.getTargetOwner().getName() + "." + c.getName()) && !STAMPS.contains(origin(c)));

    @ArchTest
    static final ArchRule supervisionTimesOnlyOnTheMonotonicClock = noClasses()
            .that().resideInAnyPackage("io.sabot.engine..", "io.sabot.process..", "io.sabot.limits..")
            .should().callMethodWhere(WALL_CLOCK_READ_OUTSIDE_A_STAMP)
            .because("backoff, intensity windows and timeouts must not move when the wall clock jumps");

    @ArchTest
    static final ArchRule noWallClockTimers = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName(java.util.Timer.class.getName())
            .because("java.util.Timer schedules on the wall clock: a jump back would hold every task for the length of the jump "
                    + "(ScheduledExecutorService runs on System.nanoTime)");

    @ArchTest
    static final ArchRule timingClassesReadNoWallClockAtAll = noClasses()
            .that().haveFullyQualifiedName("io.sabot.engine.HealthMonitor")
            .or().haveFullyQualifiedName("io.sabot.engine.Backoff")
            .or().haveFullyQualifiedName("io.sabot.process.FileDescriptors")
            .or().haveFullyQualifiedName("io.sabot.host.OutOfMemoryGuard")
            .should().callMethodWhere(DescribedPredicate.describe("a wall clock reading",
                    c -> WALL_CLOCK.contains(c.getTargetOwner().getName() + "." + c.getName())))
            .because("heartbeat deadlines, the engine's pause detection, backoff and the out-of-heap spiral window are durations");
}

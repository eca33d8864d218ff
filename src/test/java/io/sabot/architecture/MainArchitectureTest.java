package io.sabot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of docs/architecture.md as rules, one per intent, each named for it (as JabRef's
 * MainArchitectureTest). The console's own rules (views reach the engine only through view
 * models) are in {@link ConsoleArchitectureTest}.
 */
@AnalyzeClasses(packages = "io.sabot", importOptions = ImportOption.DoNotIncludeTests.class)
class MainArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheConsoleUsesJavaFx = noClasses()
            .that().resideOutsideOfPackage("io.sabot.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "atlantafx..", "org.controlsfx..")
            .because("the engine, the daemon and the CLI run where there is no display (and load no toolkit)");

    @ArchTest
    static final ArchRule theEngineKnowsNothingOfItsFrontEnds = noClasses()
            .that().resideInAPackage("io.sabot.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sabot.ui..", "io.sabot.cli..", "io.sabot.control..", "io.sabot.host..")
            .because("the console, the CLI (through the socket) and the host all use the engine through io.sabot.engine.Engine and its ports");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.sabot.(*)..")
            .should().beFreeOfCycles()
            .because("a package per concern only stays one if concerns depend on each other one way");

    /**
     * The same for every package on its own (io.sabot.engine and io.sabot.engine.supervision are two):
     * the decision function depends on nothing of the engine that carries it out. The console's views
     * share their pieces through io.sabot.ui.kit, so io.sabot.ui (the window) uses the views and the
     * views never use it.
     */
    @ArchTest
    static final ArchRule noCyclesBetweenSubPackages = slices().matching("io.sabot.(**)")
            .should().beFreeOfCycles()
            .because("a sub-package is a concern of its own: the engine uses its supervision, never the other way round");

    @ArchTest
    static final ArchRule restartDecisionsAreAFunction = noClasses()
            .that().resideInAPackage("io.sabot.engine.supervision..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sabot.process..", "java.util.concurrent..", "java.time..",
                    "java.io..", "java.nio..", "io.opentelemetry..")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().accessClassesThat().haveFullyQualifiedName(Thread.class.getName())
            .because("GroupSupervisor.decide is a pure function of a group's state and an event: time comes in the events, "
                    + "and the engine (GroupRunner) carries out what it decides");

    @ArchTest
    static final ArchRule diagnosticsGoToTheLogger = noClasses()
            .that().resideOutsideOfPackages("io.sabot.cli..", "io.sabot.agent..")
            .should().accessField(System.class, "err")
            .orShould().accessField(System.class, "out")
            .orShould().callMethod(Throwable.class, "printStackTrace")
            .because("the engine, its services and the console report on themselves through System.Logger; only the CLI "
                    + "and the agents write to the standard streams (their output is the product)");

    /** Issue 14: "pick one logging API". System.Logger, backed by java.util.logging, formatted once in io.sabot.Main. */
    @ArchTest
    static final ArchRule oneLoggingApi = noClasses()
            .that().doNotImplement(javax.sql.DataSource.class) // JDBC's interface names java.util.logging.Logger (getParentLogger)
            .should().dependOnClassesThat().resideInAnyPackage("java.util.logging..", "org.slf4j..", "org.apache.logging..",
                    "org.apache.commons.logging..", "ch.qos.logback..", "org.apache.log4j..")
            .because("one logging API, System.Logger: one place decides the format and where diagnostics go");
}

package io.sabot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.sabot.ui.ConsoleEntryPoint;

/**
 * The console's layering (docs/console.md): views bind to view models; view models hold the
 * engine and no JavaFX control, so they are tested without a toolkit. One rule per intent; the
 * exceptions are visible where they are ({@link ConsoleEntryPoint}).
 */
@AnalyzeClasses(packages = "io.sabot", importOptions = ImportOption.DoNotIncludeTests.class)
class ConsoleArchitectureTest {

    /** Issue 14: "views reach the engine only through view models". */
    @ArchTest
    static final ArchRule viewsReachTheEngineOnlyThroughViewModels = noClasses()
            .that().resideInAPackage("io.sabot.ui..")
            .and().resideOutsideOfPackage("io.sabot.ui.model..")
            .and().areNotAnnotatedWith(ConsoleEntryPoint.class)
            .should().dependOnClassesThat().haveFullyQualifiedName("io.sabot.engine.Engine")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.sabot.engine.EngineListener")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.sabot.engine.Subscription")
            .orShould().dependOnClassesThat().resideInAnyPackage("io.sabot.control..", "io.sabot.host..", "io.sabot.store..")
            .because("a view binds to view models (io.sabot.ui.model); only they call the engine, off the UI thread");

    @ArchTest
    static final ArchRule viewModelsUseNoJavaFxControlsOrScenes = noClasses()
            .that().resideInAPackage("io.sabot.ui.model..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "javafx.application..",
                    "atlantafx..", "org.controlsfx..")
            .because("view models are unit-tested without a JavaFX toolkit; javafx.beans and javafx.collections are fine");

    @ArchTest
    static final ArchRule viewModelsDoNotKnowTheirViews = noClasses()
            .that().resideInAPackage("io.sabot.ui.model..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sabot.ui", "io.sabot.ui.agents..", "io.sabot.ui.events..",
                    "io.sabot.ui.partitions..", "io.sabot.ui.traces..", "io.sabot.ui.notifications..", "io.sabot.ui.kit..",
                    "io.sabot.ui.hosts..")
            .because("views depend on view models, never the other way round");
}

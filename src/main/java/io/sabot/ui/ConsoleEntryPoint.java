package io.sabot.ui;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the few UI classes that receive the {@link io.sabot.engine.Engine} from the CLI and hand
 * it to a {@link io.sabot.ui.model.ConsoleModel}. Every other class outside
 * {@code io.sabot.ui.model} reaches the engine only through view models
 * ({@code ConsoleArchitectureTest.viewsReachTheEngineOnlyThroughViewModels}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ConsoleEntryPoint {
}

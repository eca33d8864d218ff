package io.sabot.ui;

import org.testfx.api.FxToolkit;

/** Makes sure TestFX's toolkit (Monocle) runs, so code under test finds it started. */
final class FxToolkitStarted {
    private FxToolkitStarted() {}

    static void ensure() throws java.util.concurrent.TimeoutException { FxToolkit.registerPrimaryStage(); }
}

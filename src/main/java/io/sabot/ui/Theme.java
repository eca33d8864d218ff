package io.sabot.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;

/** AtlantaFX Primer themes, applied application-wide, plus the console's own stylesheet. */
public final class Theme {
    public static final String CSS = Theme.class.getResource("console.css").toExternalForm();

    private Theme() {}

    public static void apply(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }
}

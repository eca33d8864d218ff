package io.sabot.ui.kit;

import org.controlsfx.glyphfont.FontAwesome;
import org.controlsfx.glyphfont.Glyph;
import org.controlsfx.glyphfont.GlyphFont;
import org.controlsfx.glyphfont.GlyphFontRegistry;

/** Icons from the FontAwesome font bundled inside ControlsFX (no network, no image files). */
public final class Icons {
    private static final GlyphFont FONT;

    static {
        GlyphFont f = GlyphFontRegistry.font("FontAwesome");
        FONT = f != null ? f : new FontAwesome();
    }

    private Icons() {}

    public static Glyph of(FontAwesome.Glyph g) {
        Glyph glyph = FONT.create(g);
        glyph.getStyleClass().add("icon");
        return glyph;
    }

    public static Glyph of(FontAwesome.Glyph g, double size) {
        Glyph glyph = of(g);
        glyph.setFontSize(size);
        return glyph;
    }
}

package io.sabot.ui.kit;

import atlantafx.base.theme.Styles;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * A form of labelled fields in sections that takes two columns of fields when its width allows
 * and one column when narrow (the detail pane at its narrowest, a small window). Labels are never
 * cut: their column is as wide as the longest label. Put it in a ScrollPane with
 * {@code fitToWidth}: it can always shrink to one field's width, so nothing needs a horizontal
 * scroll.
 */
public final class ResponsiveForm extends GridPane {
    /** Narrowest a field may get before the form goes to one column. */
    static final double FIELD_MIN = 150;
    private static final double HGAP = 14;

    private sealed interface Item permits Section, Field, Wide { }

    private record Section(Label label) implements Item { }

    private record Field(Label label, Node field) implements Item { }

    private record Wide(Node node) implements Item { }

    private final List<Item> items = new ArrayList<>();
    private int columns = -1;

    public ResponsiveForm() {
        setHgap(HGAP);
        setVgap(4);
        getStyleClass().add("responsive-form");
    }

    /** Re-arranges (only when the column count changes) before laying out. */
    @Override
    protected void layoutChildren() {
        arrange(false);
        super.layoutChildren();
    }

    public ResponsiveForm section(String title) {
        Label l = new Label(title);
        l.getStyleClass().addAll(Styles.TEXT_BOLD, "form-section");
        l.setMinWidth(Region.USE_PREF_SIZE);
        items.add(new Section(l));
        arrange(true);
        return this;
    }

    /** A labelled field; the label names the field for screen readers too. */
    public ResponsiveForm field(String label, Node field) {
        Label l = new Label(label);
        l.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.control.Control c = firstControl(field);
        if (c != null) {
            l.setLabelFor(c);
            if (c.getAccessibleText() == null) c.setAccessibleText(label);
        }
        GridPane.setValignment(l, VPos.TOP);
        GridPane.setMargin(l, new Insets(6, 0, 0, 0));
        items.add(new Field(l, field));
        arrange(true);
        return this;
    }

    /** A node across the whole form (a text area). */
    public ResponsiveForm wide(Node n) {
        items.add(new Wide(n));
        arrange(true);
        return this;
    }

    private static javafx.scene.control.Control firstControl(Node n) {
        if (n instanceof javafx.scene.control.Control c) return c;
        if (n instanceof javafx.scene.Parent p) {
            for (Node k : p.getChildrenUnmodifiable()) {
                javafx.scene.control.Control c = firstControl(k);
                if (c != null) return c;
            }
        }
        return null;
    }

    /** Columns of fields now (1 or 2). */
    public int columns() { return columns; }

    private double labelWidth() {
        double w = 0;
        for (Item i : items) if (i instanceof Field f) w = Math.max(w, f.label().prefWidth(-1));
        return Math.ceil(w);
    }

    /** The narrowest it can be: one column. */
    @Override
    protected double computeMinWidth(double height) {
        Insets in = getInsets();
        return in.getLeft() + in.getRight() + labelWidth() + HGAP + FIELD_MIN;
    }

    @Override
    protected double computePrefWidth(double height) {
        Insets in = getInsets();
        return in.getLeft() + in.getRight() + 2 * (labelWidth() + FIELD_MIN) + 3 * HGAP;
    }

    private void arrange(boolean force) {
        double w = getWidth();
        int want = w <= 0 || w >= computePrefWidth(-1) ? 2 : 1;
        if (!force && want == columns) return;
        columns = want;
        getChildren().clear();
        getColumnConstraints().clear();
        for (int c = 0; c < want; c++) {
            ColumnConstraints label = new ColumnConstraints();
            label.setMinWidth(Region.USE_PREF_SIZE);
            ColumnConstraints field = new ColumnConstraints();
            field.setHgrow(Priority.ALWAYS);
            field.setFillWidth(true);
            field.setMinWidth(FIELD_MIN / 2);
            getColumnConstraints().addAll(label, field);
        }
        int row = 0, col = 0;
        boolean first = true;
        for (Item i : items) {
            if (i instanceof Section s) {
                if (col > 0) row++;
                col = 0;
                GridPane.setMargin(s.label(), new Insets(first ? 0 : 10, 0, 2, 0));
                add(s.label(), 0, row++, want * 2, 1);
            } else if (i instanceof Wide x) {
                if (col > 0) row++;
                col = 0;
                add(x.node(), 0, row++, want * 2, 1);
            } else if (i instanceof Field f) {
                add(f.label(), col * 2, row);
                add(f.field(), col * 2 + 1, row);
                col++;
                if (col == want) {
                    col = 0;
                    row++;
                }
            }
            first = false;
        }
    }
}

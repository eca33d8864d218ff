package io.sabot.ui;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import io.sabot.importer.ImportReport;
import io.sabot.ui.model.OpenModel;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The import report of "Open…": what mapped, what mapped approximately (and how), what has no
 * equivalent (and why), what keeps the spec from deploying here, and the spec itself; then
 * "Deploy and start", "Deploy", "Save spec as…" or Cancel.
 */
public final class ImportReportDialog {
    public static final ButtonType DEPLOY_START = new ButtonType("Deploy and start", ButtonBar.ButtonData.OK_DONE);
    public static final ButtonType DEPLOY = new ButtonType("Deploy", ButtonBar.ButtonData.APPLY);
    public static final ButtonType SAVE = new ButtonType("Save spec as\u2026", ButtonBar.ButtonData.LEFT);

    private ImportReportDialog() {}

    /** Builds the dialog (not shown); the caller shows it and acts on the button. */
    public static Dialog<ButtonType> create(Window owner, OpenModel.Imported imported) {
        Dialog<ButtonType> d = new Dialog<>();
        if (owner != null) d.initOwner(owner);
        d.setTitle("Import " + imported.file().getFileName());
        d.setResizable(true);
        ImportReport r = imported.result().report();
        int n = imported.result().agents();
        Label head = new Label("Import " + imported.file().getFileName() + " (" + imported.result().format().title + ") \u2192 " + n + (n == 1 ? " agent" : " agents"));
        head.getStyleClass().add(Styles.TITLE_4);
        head.setWrapText(true);
        Label hint = new Label(r.problems().isEmpty()
                ? "Review what changes on the way to Sabot, then deploy. Nothing is deployed until you say so."
                : "The spec does not deploy here as it is: fix what the last tab lists (or save the spec and edit it).");
        hint.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        hint.setWrapText(true);
        TabPane tabs = new TabPane();
        tabs.setId("import-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Tab approx = tab("Mapped approximately (" + r.of(ImportReport.Kind.APPROXIMATE).size() + ")", "import-approximate", r.of(ImportReport.Kind.APPROXIMATE), "How");
        tabs.getTabs().addAll(
                tab("Mapped (" + r.of(ImportReport.Kind.MAPPED).size() + ")", "import-mapped", r.of(ImportReport.Kind.MAPPED), "Note"),
                approx,
                tab("No equivalent (" + r.of(ImportReport.Kind.NONE).size() + ")", "import-none", r.of(ImportReport.Kind.NONE), "Why"));
        TextArea yaml = new TextArea(imported.yaml());
        yaml.setEditable(false);
        yaml.setId("import-spec");
        yaml.getStyleClass().add("mono");
        Tab spec = new Tab("Spec (YAML)", yaml);
        tabs.getTabs().add(spec);
        if (!r.problems().isEmpty()) {
            TextArea p = new TextArea(String.join("\n", r.problems()));
            p.setEditable(false);
            p.setId("import-problems");
            Tab problems = new Tab("Does not deploy here (" + r.problems().size() + ")", p);
            problems.getStyleClass().add("danger");
            tabs.getTabs().add(problems);
            tabs.getSelectionModel().select(problems);
        } else {
            tabs.getSelectionModel().select(approx);
        }
        VBox box = new VBox(6, head, hint, tabs);
        box.setPadding(new Insets(8, 4, 0, 4));
        VBox.setVgrow(tabs, javafx.scene.layout.Priority.ALWAYS);
        d.getDialogPane().setContent(box);
        d.getDialogPane().setId("import-report");
        d.getDialogPane().setPrefSize(1080, 640);
        javafx.geometry.Rectangle2D bounds = javafx.stage.Screen.getPrimary().getVisualBounds();
        d.getDialogPane().setMinSize(Math.min(1120, bounds.getWidth() - 40), Math.min(520, bounds.getHeight() - 40));
        // a dialog sizes itself to its content's preferred size, which the tables keep small: ask for room, within the screen
        d.setOnShown(e -> {
            javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
            javafx.stage.Window w = d.getDialogPane().getScene().getWindow();
            w.setWidth(Math.min(1180, screen.getWidth() - 40));
            w.setHeight(Math.min(700, screen.getHeight() - 40));
            Window o = d.getOwner();
            if (o != null) {
                w.setX(o.getX() + Math.max(0, (o.getWidth() - w.getWidth()) / 2));
                w.setY(o.getY() + Math.max(0, (o.getHeight() - w.getHeight()) / 2));
            }
        });
        d.getDialogPane().getStyleClass().add("import-report");
        d.getDialogPane().getStylesheets().add(Theme.CSS);
        d.getDialogPane().getButtonTypes().setAll(SAVE, DEPLOY, DEPLOY_START, ButtonType.CANCEL);
        boolean deployable = imported.spec() != null;
        d.getDialogPane().lookupButton(DEPLOY).setDisable(!deployable);
        d.getDialogPane().lookupButton(DEPLOY_START).setDisable(!deployable);
        d.getDialogPane().lookupButton(DEPLOY_START).setId("import-deploy-start");
        d.getDialogPane().lookupButton(DEPLOY).setId("import-deploy");
        d.getDialogPane().lookupButton(SAVE).setId("import-save");
        return d;
    }

    private static Tab tab(String title, String id, List<ImportReport.Entry> entries, String noteTitle) {
        TableView<ImportReport.Entry> t = new TableView<>();
        t.setId(id);
        t.getStyleClass().addAll(Styles.DENSE, Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(new Label("Nothing here"));
        TableColumn<ImportReport.Entry, String> subject = new TableColumn<>("Where");
        subject.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().subject()));
        subject.setPrefWidth(150);
        TableColumn<ImportReport.Entry, String> source = new TableColumn<>("Setting");
        source.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().source()));
        source.setPrefWidth(280);
        TableColumn<ImportReport.Entry, String> target = new TableColumn<>("In Sabot");
        target.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().target()));
        target.setPrefWidth(280);
        TableColumn<ImportReport.Entry, String> note = new TableColumn<>(noteTitle);
        note.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().note()));
        note.setPrefWidth(360);
        // the how and why are sentences: they wrap rather than end in "..."
        note.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            private final javafx.scene.text.Text text = new javafx.scene.text.Text();

            {
                text.wrappingWidthProperty().bind(widthProperty().subtract(12));
                text.getStyleClass().add("text");
                setGraphic(null);
                setPrefHeight(javafx.scene.control.Control.USE_COMPUTED_SIZE);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                text.setText(empty || item == null ? "" : item);
                setGraphic(empty ? null : text);
            }
        });
        if (id.equals("import-none")) t.getColumns().setAll(List.of(subject, source, note));
        else t.getColumns().setAll(List.of(subject, source, target, note));
        t.getItems().setAll(entries);
        return new Tab(title, t);
    }

    /** Shows it and waits; the button pressed (empty: cancelled). */
    public static Optional<ButtonType> ask(Window owner, OpenModel.Imported imported) {
        return create(owner, imported).showAndWait();
    }
}

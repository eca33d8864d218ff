package io.sabot.ui;

import io.sabot.importer.Importer;
import io.sabot.ui.kit.StatusBar;
import io.sabot.ui.kit.Toasts;
import io.sabot.ui.model.OpenModel;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * "Open…" (Ctrl+O, or {@code sabot console --open FILE}): a Sabot spec is deployed; a PM2
 * ecosystem file, a supervisord .conf or a process-compose file shows its import report first
 * ({@link ImportReportDialog}), from which it is deployed (and started) or saved; anything else
 * gets the importer's reason.
 */
public final class OpenFlow {
    private final OpenModel model;
    private final Supplier<Window> owner;
    private final Toasts toasts;
    private final StatusBar status;
    private Path lastFolder;

    public OpenFlow(OpenModel model, Supplier<Window> owner, Toasts toasts, StatusBar status) {
        this.model = model;
        this.owner = owner;
        this.toasts = toasts;
        this.status = status;
    }

    /** Asks for a file, then opens it. */
    public void choose() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a spec, PM2 ecosystem file, supervisord .conf or process-compose.yaml");
        fc.getExtensionFilters().setAll(
                new FileChooser.ExtensionFilter("Specs and files to import", "*.json", "*.yaml", "*.yml", "*.js", "*.cjs", "*.mjs", "*.conf", "*.ini"),
                new FileChooser.ExtensionFilter("All files", "*"));
        if (lastFolder != null && Files.isDirectory(lastFolder)) fc.setInitialDirectory(lastFolder.toFile());
        File f = fc.showOpenDialog(owner.get());
        if (f != null) open(f.toPath());
    }

    /** Opens a file as "Open…" does. */
    public void open(Path file) {
        lastFolder = file.toAbsolutePath().getParent();
        Runnable done = status.begin("Reading " + file.getFileName() + "\u2026");
        model.open(file, opened -> {
            done.run();
            if (opened instanceof OpenModel.SabotSpec s) deploySpec(s);
            else if (opened instanceof OpenModel.Imported i) showReport(i);
            else refused((OpenModel.Refused) opened);
        });
    }

    private void deploySpec(OpenModel.SabotSpec s) {
        status.say("Opened " + s.file().getFileName());
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.initOwner(owner.get());
        a.setTitle("Deploy " + s.file().getFileName());
        a.setHeaderText("Deploy " + s.spec().agents().size() + " agents from " + s.file().getFileName() + "?");
        a.setContentText(String.join(", ", s.spec().agents().stream().map(x -> x.name()).toList()));
        a.getButtonTypes().setAll(ImportReportDialog.DEPLOY_START, ImportReportDialog.DEPLOY, ButtonType.CANCEL);
        Optional<ButtonType> b = a.showAndWait();
        if (b.isPresent() && (b.get() == ImportReportDialog.DEPLOY || b.get() == ImportReportDialog.DEPLOY_START)) {
            deploy(s.spec(), b.get() == ImportReportDialog.DEPLOY_START, s.file());
        }
    }

    private void showReport(OpenModel.Imported i) {
        status.say("Import report of " + i.file().getFileName());
        Optional<ButtonType> b = ImportReportDialog.ask(owner.get(), i);
        if (b.isEmpty()) return;
        if (b.get() == ImportReportDialog.SAVE) save(i);
        else if ((b.get() == ImportReportDialog.DEPLOY || b.get() == ImportReportDialog.DEPLOY_START) && i.spec() != null) {
            deploy(i.spec(), b.get() == ImportReportDialog.DEPLOY_START, i.file());
        }
    }

    private void deploy(io.sabot.spec.FleetSpec spec, boolean start, Path file) {
        Runnable done = status.begin((start ? "Deploying and starting " : "Deploying ") + file.getFileName() + "\u2026");
        model.deploy(spec, start, msg -> {
            done.run();
            status.say(msg);
            toasts.show(Toasts.Kind.SUCCESS, msg + " from " + file.getFileName(), List.of(), 8);
        }, err -> {
            done.run();
            toasts.show(Toasts.Kind.DANGER, file.getFileName() + ": " + err.getMessage(), List.of(), 20);
        });
    }

    private void save(OpenModel.Imported i) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save the Sabot spec");
        fc.setInitialDirectory(i.file().toAbsolutePath().getParent().toFile());
        fc.setInitialFileName("sabot.yaml");
        fc.getExtensionFilters().setAll(new FileChooser.ExtensionFilter("YAML", "*.yaml", "*.yml"), new FileChooser.ExtensionFilter("JSON", "*.json"));
        File f = fc.showSaveDialog(owner.get());
        if (f == null) return;
        boolean json = f.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        try {
            Files.writeString(f.toPath(), Importer.render(i.result(), json), StandardCharsets.UTF_8);
            Button deploy = new Button("Deploy it");
            deploy.setOnAction(e -> open(f.toPath()));
            toasts.show(Toasts.Kind.SUCCESS, "Saved " + f, List.of(deploy), 10);
        } catch (IOException e) {
            toasts.show(Toasts.Kind.DANGER, "Cannot write " + f + ": " + e.getMessage(), List.of(), 20);
        }
    }

    private void refused(OpenModel.Refused r) {
        status.say("Cannot open " + r.file().getFileName());
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(owner.get());
        a.setTitle("Cannot open " + r.file().getFileName());
        a.setHeaderText("This is not a Sabot spec, a PM2 ecosystem file, a supervisord .conf or a process-compose file");
        a.setContentText(r.reason());
        a.getDialogPane().setId("open-refused");
        a.show();
    }
}

package io.sabot.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec was rejected; carries every problem found, each with its field path. */
public final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final List<SpecError> errors;

    public SpecException(String source, List<SpecError> errors) {
        super(format(source, errors));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    public String source() { return source; }

    public List<SpecError> errors() { return errors; }

    private static String format(String source, List<SpecError> errors) {
        String head = (source == null ? "spec" : source) + ": " + errors.size()
                + (errors.size() == 1 ? " problem" : " problems");
        return head + "\n" + errors.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    }
}

package io.sabot.spec;

/** One problem in a spec: where (a field path such as {@code agents[2].restart.maxRestarts}) and what. */
public record SpecError(String path, String message) {
    @Override
    public String toString() { return path.isEmpty() ? message : path + ": " + message; }
}

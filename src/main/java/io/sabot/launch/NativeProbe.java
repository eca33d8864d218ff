package io.sabot.launch;

/** The native facts a display check needs; {@link JnaProbe} asks the real system, tests substitute answers. */
public interface NativeProbe {
    /** null when the shared library loads (with everything it links against), else why not. */
    String load(String library);

    /** Whether an X server accepts a connection on {@code display}; null when that cannot be told (no libX11, no answer in time). */
    Boolean xServerAnswers(String display);
}

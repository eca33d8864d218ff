package io.sabot.process;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A NULL-terminated {@code char *[]} (argv, envp) in one native allocation: the pointer array
 * first, then the NUL-terminated UTF-8 strings. JNA's StringArray makes one allocation (and one
 * cleaner registration) per string, some fifty per spawn with the environment.
 */
final class CStrings {
    private CStrings() {}

    static NativeBuf of(List<String> strings) {
        int n = strings.size();
        byte[][] encoded = new byte[n][];
        long bytes = (long) (n + 1) * Native.POINTER_SIZE;
        for (int i = 0; i < n; i++) {
            encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
            bytes += encoded[i].length + 1;
        }
        NativeBuf m = new NativeBuf(bytes);
        long at = (long) (n + 1) * Native.POINTER_SIZE;
        for (int i = 0; i < n; i++) {
            Pointer p = m.share(at);
            p.write(0, encoded[i], 0, encoded[i].length);
            p.setByte(encoded[i].length, (byte) 0);
            m.setPointer((long) i * Native.POINTER_SIZE, p);
            at += encoded[i].length + 1;
        }
        m.setPointer((long) n * Native.POINTER_SIZE, null);
        return m;
    }
}

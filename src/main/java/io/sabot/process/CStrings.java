package io.sabot.process;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A NULL-terminated {@code char *[]} (argv, envp) in one native allocation: the pointer array
 * first, then the NUL-terminated UTF-8 strings, laid out in a Java array and copied over in one
 * call. JNA's StringArray makes one allocation (and one cleaner registration) per string, some
 * fifty per spawn with the environment; writing each string and pointer through JNA was still
 * ~150 native calls per spawn (issue 13: the crash path).
 */
final class CStrings {
    /** The engine's own environment, each entry encoded once ("KEY=VALUE"): most of every agent's envp. */
    private static final Map<String, String> INHERITED = System.getenv();
    private static final Map<String, byte[]> INHERITED_BYTES = encodeInherited();

    private CStrings() {}

    static NativeBuf of(List<String> strings) {
        byte[][] encoded = new byte[strings.size()][];
        for (int i = 0; i < encoded.length; i++) encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
        return pack(encoded);
    }

    /** {@code KEY=VALUE} for each entry of {@code env}; entries the engine inherited as they are come encoded already. */
    static NativeBuf environment(Map<String, String> env) {
        byte[][] encoded = new byte[env.size()][];
        int i = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            byte[] known = INHERITED.get(e.getKey()) == e.getValue() ? INHERITED_BYTES.get(e.getKey()) : null; // the same string: unchanged
            encoded[i++] = known != null ? known : (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8);
        }
        return pack(encoded);
    }

    private static Map<String, byte[]> encodeInherited() {
        Map<String, byte[]> m = new HashMap<>();
        for (Map.Entry<String, String> e : INHERITED.entrySet()) m.put(e.getKey(), (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
        return m;
    }

    private static NativeBuf pack(byte[][] encoded) {
        int n = encoded.length, ptr = Native.POINTER_SIZE;
        long bytes = (long) (n + 1) * ptr;
        for (byte[] b : encoded) bytes += b.length + 1;
        NativeBuf m = new NativeBuf(bytes);
        long base = Pointer.nativeValue(m);
        ByteBuffer block = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        int at = (n + 1) * ptr;
        for (int i = 0; i < n; i++) {
            if (ptr == 8) block.putLong(i * ptr, base + at);
            else block.putInt(i * ptr, (int) (base + at));
            block.put(at, encoded[i]); // the NUL after it is the array's zero
            at += encoded[i].length + 1;
        }
        m.write(0, block.array(), 0, block.capacity()); // the final NULL pointer is zeros too
        return m;
    }
}

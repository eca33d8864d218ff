package io.sabot.process;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Native memory from malloc, freed by {@link #close} (or never, for buffers that live as long as
 * the JVM). JNA's {@code Memory} registers every allocation with a cleaner, which starts a "JNA
 * Cleaner" thread; the process layer frees what it allocates itself and needs none.
 */
final class NativeBuf extends Pointer implements AutoCloseable {
    final long size;
    private boolean freed;

    NativeBuf(long size) {
        super(allocate(size));
        this.size = size;
    }

    private static long allocate(long size) {
        long p = Native.malloc(Math.max(1, size));
        if (p == 0) throw new OutOfMemoryError("malloc(" + size + ") failed");
        return p;
    }

    /** Zeroed. */
    static NativeBuf zeroed(long size) {
        NativeBuf b = new NativeBuf(size);
        b.setMemory(0, size, (byte) 0);
        return b;
    }

    @Override
    public synchronized void close() {
        if (freed) return;
        freed = true;
        Native.free(Pointer.nativeValue(this));
    }
}

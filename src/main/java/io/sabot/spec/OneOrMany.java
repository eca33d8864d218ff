package io.sabot.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.List;

/**
 * Writes a one-element list as its element ({@code "topic": "tx"}) and longer ones as a list, so a
 * spec written back (store, control socket, the console's form) reads as the user wrote it and as
 * round-1 readers expect.
 */
final class OneOrMany extends StdSerializer<List<String>> {
    @SuppressWarnings("unchecked")
    OneOrMany() { super((Class<List<String>>) (Class<?>) List.class); }

    @Override
    public void serialize(List<String> value, JsonGenerator g, SerializerProvider p) throws IOException {
        if (value.size() == 1) {
            g.writeString(value.get(0));
            return;
        }
        g.writeStartArray();
        for (String s : value) g.writeString(s);
        g.writeEndArray();
    }

    @Override
    public boolean isEmpty(SerializerProvider p, List<String> value) { return value == null || value.isEmpty(); }
}

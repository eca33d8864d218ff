package io.sabot.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.Engine;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every method of the {@link Engine} API is implemented by the console's multi-host engine and by
 * the reconnecting connection: a method added to the interface with a default body would otherwise
 * silently answer "nothing" in the console (it talks to every engine through {@link HostsEngine}).
 * When this fails after adding an Engine method: route it in HostsEngine (qualify the names other
 * hosts' answers carry) and delegate it in HostConnection.
 */
class DelegationTest {
    @Test
    void everyEngineMethodIsImplementedNotInherited() {
        for (Class<?> c : List.of(HostsEngine.class, HostConnection.class)) {
            List<String> missing = new ArrayList<>();
            for (Method m : Engine.class.getMethods()) {
                if (Modifier.isStatic(m.getModifiers()) || !m.getDeclaringClass().equals(Engine.class)) continue;
                try {
                    Method impl = c.getMethod(m.getName(), m.getParameterTypes());
                    if (impl.getDeclaringClass().equals(Engine.class)) missing.add(m.getName());
                } catch (NoSuchMethodException e) {
                    missing.add(m.getName());
                }
            }
            assertThat(missing).as(c.getSimpleName() + " must implement these Engine methods (route them to the right host)").isEmpty();
        }
    }
}

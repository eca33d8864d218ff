package io.sabot.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic with {@code "create": true} that no agent consumes (an output only) is created on deploy:
 * before, only a consumed topic was, and producers to an output-only topic waited on its metadata
 * until the engine killed them for missed heartbeats. Real broker, real daemon.
 */
class OutputTopicCreationTest {
    @TempDir
    Path tmp;

    @Test
    void anOutputOnlyTopicIsCreatedOnDeploy() throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String out = KafkaBroker.uniqueName("only-out");
        Path spec = Files.writeString(tmp.resolve("spec.json"), "{\"clusters\":[{\"name\":\"local\",\"bootstrapServers\":\"" + k.bootstrap() + "\"}],"
                + "\"topics\":[{\"name\":\"" + out + "\",\"cluster\":\"local\",\"create\":true,\"partitions\":3,\"replication\":1}],"
                + "\"agents\":[{\"name\":\"gen\",\"builtin\":\"generator\",\"outputs\":[\"" + out + "\"]}]}");
        try (Daemon d = new Daemon(tmp.resolve("home"))) {
            assertThat(d.run("agents", "deploy", spec.toString()).code).as(d.log()).isZero();
            Await.until(Duration.ofSeconds(60), () -> topics(k).contains(out), () -> out + " created; " + d.log());
            assertThat(k.partitions(out)).isEqualTo(3);
        }
    }

    private static java.util.Set<String> topics(KafkaBroker k) {
        try {
            return k.admin().listTopics().names().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            return java.util.Set.of();
        }
    }
}

package io.sabot.importer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies the import fixtures (src/test/resources/io/sabot/importer) into a temp folder, so paths in them are real. */
final class Fixtures {
    private Fixtures() {}

    static Path copy(String folder, Path into) {
        try {
            Path src = Path.of(Fixtures.class.getResource("/io/sabot/importer/" + folder).toURI());
            Path dst = into.resolve(folder);
            try (Stream<Path> all = Files.walk(src)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path t = dst.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(t);
                    else Files.copy(p, t);
                }
            }
            return dst;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

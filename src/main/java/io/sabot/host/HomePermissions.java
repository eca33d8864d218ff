package io.sabot.host;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every file in a home is its owner's only. Sabot creates its own files 0600 in 0700 folders,
 * but others land there too: a JVM's class-data archive written at an agent's exit, a library's
 * temporary or trace file, created with the process's umask. A sweep when the engine opens the
 * home and when it closes it takes group and other permissions off whatever has them (symbolic
 * links are not followed) (HomePermissionsIT#everyFileInTheHomeIsOwnerOnlyAfterARunWithErrors).
 */
public final class HomePermissions {
    private HomePermissions() {}

    /** Removes group and other permissions under {@code home}; returns what it changed (relative paths). */
    public static List<String> tighten(Path home) {
        List<String> changed = new ArrayList<>();
        if (!Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) return changed;
        try {
            Files.walkFileTree(home, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    fix(home, dir, changed);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!attrs.isSymbolicLink()) fix(home, file, changed);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone meanwhile (a temporary file)
                }
            });
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or the home went away: nothing to tighten
        }
        return changed;
    }

    private static void fix(Path home, Path p, List<String> changed) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> own = EnumSet.noneOf(PosixFilePermission.class);
            for (PosixFilePermission x : perms) if (x.name().startsWith("OWNER")) own.add(x);
            if (own.size() == perms.size()) return;
            Files.setPosixFilePermissions(p, own);
            changed.add(home.relativize(p) + " was " + PosixFilePermissions.toString(perms));
        } catch (IOException | UnsupportedOperationException e) {
            // gone, or not ours to change
        }
    }
}

package dev.candor.registry.home;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only permissions for what Candor stores: directories {@code rwx------}, files {@code rw-------}, whatever
 * the umask. Artifacts include copies of the input data, which other users of the machine must not read. A file
 * system without POSIX permissions (Windows) is left to its own access control.
 */
public final class OwnerOnly {
    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** The attribute that creates a file owner-only from the start (none where POSIX permissions do not exist). */
    public static FileAttribute<?>[] fileAttribute(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Creates a directory owner-only (the umask cannot widen it, and it is set again in case it narrowed it). */
    public static Path createDirectory(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && posix(parent)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } else {
            Files.createDirectory(dir);
        }
        set(dir, DIRECTORY);
        return dir;
    }

    /** Creates a directory and any missing parents, each created owner-only; existing ones are left alone. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) return absolute;
        Path parent = absolute.getParent();
        if (parent != null) createDirectories(parent);
        try {
            createDirectory(absolute);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) throw e; // a file is in the way
        }
        return absolute;
    }

    /** Makes one directory or file owner-only; does nothing when it already is (a read-only store stays readable). */
    public static void tighten(Path path) throws IOException {
        set(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIRECTORY : FILE);
    }

    /**
     * Makes a whole tree owner-only, links left alone (their targets are not ours to change). Entries that vanish
     * meanwhile (another run removing its staging directory) are skipped.
     */
    public static void tightenTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                return tightenIfPresent(dir);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                return attrs.isSymbolicLink() ? FileVisitResult.CONTINUE : tightenIfPresent(file);
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }
        });
    }

    private static FileVisitResult tightenIfPresent(Path p) throws IOException {
        try {
            tighten(p);
        } catch (NoSuchFileException gone) {
            // removed while we walked
        }
        return FileVisitResult.CONTINUE;
    }

    private static void set(Path path, Set<PosixFilePermission> wanted) throws IOException {
        if (!posix(path)) return;
        if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

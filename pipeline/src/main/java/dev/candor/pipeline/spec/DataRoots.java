package dev.candor.pipeline.spec;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories a pipeline may read data from, and the one way to open a data file inside them.
 *
 * <p>Checking a path and then opening it by name is a race: between the two, the file (or a directory on its path)
 * can be swapped for a symbolic link that leads out of the roots. {@link #open(Path)} therefore resolves the real
 * path, checks it lies under a root's real path, and then opens the root directory and walks down the real path's
 * components relative to it without following links ({@code openat} with {@code O_NOFOLLOW}, through
 * {@link SecureDirectoryStream}): a link put in after the check is refused, not followed, and the channel it returns
 * is the file that was checked to be inside the root. The roots themselves (chosen by the operator) are trusted;
 * everything below them is not. A link inside a root that leads to another place inside a root is fine: the walk
 * follows the real path, which no longer contains it.
 *
 * @param dirs the roots, absolute and normalized; the pipeline file's directory first
 */
public record DataRoots(List<Path> dirs) {
    private static final Logger LOG = LoggerFactory.getLogger(DataRoots.class);

    public DataRoots {
        if (dirs.isEmpty()) throw new IllegalArgumentException("DataRoots needs at least one directory");
        dirs = dirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** The pipeline file's directory, then the operator's extra roots. */
    static DataRoots of(Path baseDir, List<Path> extra) {
        List<Path> all = new ArrayList<>();
        all.add(baseDir);
        all.addAll(extra);
        return new DataRoots(all);
    }

    /** Whether the (absolute, normalized) path lies under a root as written, before any link is resolved. */
    boolean containsAsWritten(Path path) {
        return dirs.stream().anyMatch(path::startsWith);
    }

    /** The real path of a root that contains this real path, if any. */
    Optional<Path> realRootOf(Path real) {
        return dirs.stream().map(DataRoots::real).filter(real::startsWith).findFirst();
    }

    /** The roots as a comma-separated list, for messages. */
    String describe() {
        return dirs.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /**
     * A data file that may not be read: outside the roots, or changed into a link after it was checked.
     * {@link #getReason()} says why without the path; {@link #getMessage()} puts the path first.
     */
    public static final class RefusedException extends FileSystemException {
        RefusedException(Path file, String reason) {
            super(file.toString(), null, reason);
        }
    }

    /**
     * Opens a data file for reading, race-free on Linux (see the class comment). Messages name paths, never content.
     *
     * @throws RefusedException  the file lies outside the roots, or a link appeared on its path after the check
     * @throws IOException       the file is missing, not a regular file, or unreadable
     */
    public SeekableByteChannel open(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path real;
        try {
            real = absolute.toRealPath();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(absolute.toString(), null, "no such file");
        }
        Path root = realRootOf(real).orElseThrow(() -> new RefusedException(absolute, "it resolves to " + real
                + ", outside the data roots (" + describe() + ")"));
        return openChecked(absolute, real, root);
    }

    /**
     * The second half of {@link #open}: opens {@code real}, which was found inside {@code root}, without following a
     * link that has appeared on it since. Apart so that a test can swap a link in between the two halves.
     */
    static SeekableByteChannel openChecked(Path asNamed, Path real, Path root) throws IOException {
        if (real.equals(root)) throw new FileSystemException(asNamed.toString(), null, "is a directory, not a file");
        try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
            if (top instanceof SecureDirectoryStream<Path> secure) {
                return walk(secure, root.relativize(real), asNamed);
            }
        }
        // No openat on this platform (Java offers SecureDirectoryStream on Linux, not on macOS or Windows): the
        // check and this open are two steps, so a link swapped in between is caught only as the last name.
        LOG.debug("no SecureDirectoryStream here: {} was checked, then is opened by name", asNamed);
        return Files.newByteChannel(real, READ, NOFOLLOW_LINKS);
    }

    /** Walks {@code relative} down from {@code dir} without following links, and opens its last name. */
    private static SeekableByteChannel walk(SecureDirectoryStream<Path> dir, Path relative, Path asNamed)
            throws IOException {
        Path name = relative.getName(0);
        if (relative.getNameCount() == 1) {
            BasicFileAttributes attributes = attributes(dir, name, asNamed);
            if (attributes.isSymbolicLink()) throw changedToLink(asNamed, name);
            // Refusing anything but a regular file here keeps a FIFO (whose open would wait for a writer) out.
            if (!attributes.isRegularFile()) {
                throw new FileSystemException(asNamed.toString(), null, "is not a regular file");
            }
            try {
                return dir.newByteChannel(name, Set.of(READ, NOFOLLOW_LINKS));
            } catch (IOException e) {
                throw linkOr(dir, name, asNamed, e);
            }
        }
        SecureDirectoryStream<Path> next;
        try {
            next = dir.newDirectoryStream(name, NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw linkOr(dir, name, asNamed, e);
        }
        try (next) {
            return walk(next, relative.subpath(1, relative.getNameCount()), asNamed);
        }
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name, Path asNamed)
            throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(asNamed.toString(), null, "'" + name + "' on its path is gone");
        }
    }

    /**
     * A failed step of the walk. Missing or forbidden: that error as it is. Otherwise the name changed since the
     * check: ELOOP from an {@code O_NOFOLLOW} open means it was a link at that instant (it may be a file again by
     * now), ENOTDIR that a directory was replaced; either way nothing was read, and the refusal says so.
     */
    private static IOException linkOr(SecureDirectoryStream<Path> dir, Path name, Path asNamed, IOException e) {
        if (e instanceof NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) return e;
        boolean linkNow;
        try {
            linkNow = attributes(dir, name, asNamed).isSymbolicLink();
        } catch (IOException gone) {
            linkNow = false;
        }
        // The JDK reports ELOOP under O_NOFOLLOW as a plain IOException ("Too many levels of symbolic links
        // (NOFOLLOW_LINKS specified)"), not a FileSystemException: the reason is read from either.
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (linkNow || String.valueOf(reason).contains("symbolic link")) return changedToLink(asNamed, name);
        return new RefusedException(asNamed, "'" + name + "' on its path changed after the path was checked ("
                + reason + "), and nothing was read");
    }

    private static RefusedException changedToLink(Path asNamed, Path name) {
        return new RefusedException(asNamed, "'" + name + "' on its path became a symbolic link after the path was"
                + " checked, and a link swapped in is not followed");
    }

    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }
}

package dev.candor.pipeline.store;

import dev.candor.registry.home.OwnerOnly;
import dev.candor.stages.spi.ArtifactKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-addressed artifact store: {@code <root>/<kind>/<sha256>/...}. An artifact is written once into a
 * staging directory, hashed, and moved into place atomically; the same content is stored once. Stored artifacts are
 * never modified, so a cached stage can hand them to its dependents as they are.
 *
 * <p>Several threads and processes may store the same content at once: {@link #commit} holds a per-hash lock
 * ({@link HashLocks}) while it decides, so each of them ends with the one intact copy and none fails. Everything in
 * the store is owner-only ({@link OwnerOnly}): datasets are copies of the input data. A store that cannot be written
 * raises {@link StoreException}, an error of the environment.
 */
public final class ArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStore.class);
    /** Present once every file of the store has been made owner-only; later writes are made owner-only as they come. */
    private static final String TIGHTENED = ".owner-only";

    /** An artifact in the store. */
    public record Stored(ArtifactKind kind, String sha256, Path path, long sizeBytes) {
        public String uri() {
            return path.toUri().toString();
        }
    }

    private final Path root;
    private final StagingArea staging;
    private final HashLocks locks;

    /**
     * Opens the store, creating it owner-only if absent and tightening an older one's permissions, and removes the
     * staging directories that killed runs left behind.
     *
     * @throws StoreException when the directory cannot be created or written
     */
    public ArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            OwnerOnly.createDirectories(this.root);
            OwnerOnly.tighten(this.root);
            if (!Files.exists(this.root.resolve(TIGHTENED))) {
                // A store made before artifacts were owner-only: once, every file in it (then the marker says so).
                OwnerOnly.tightenTree(this.root);
                Files.write(this.root.resolve(TIGHTENED), new byte[0], StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                OwnerOnly.tighten(this.root.resolve(TIGHTENED));
            }
            this.staging = new StagingArea(OwnerOnly.createDirectories(this.root.resolve(".staging")));
            this.locks = new HashLocks(OwnerOnly.createDirectories(this.root.resolve(".locks")));
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException(this.root, "opening it", ioOf(e));
        }
        staging.sweep(Instant.now());
    }

    public Path root() {
        return root;
    }

    /**
     * A new, empty, owner-only directory under {@code .staging} for this process: a stage's output, or a run's
     * private copy of its data. It is removed by whoever created it, or by a later store's sweep once this process
     * is gone.
     *
     * @param label what it is for (a stage id), part of its name for whoever looks
     */
    public Path newStagingDir(String label) {
        try {
            return staging.newDir(label);
        } catch (IOException e) {
            throw new StoreException(root, "creating a staging directory", e);
        }
    }

    /**
     * Hashes a finished staging directory and moves it into the store, or drops it if that content is there.
     * Idempotent across threads and processes: concurrent commits of the same content all return the same stored
     * artifact. An artifact that no longer hashes to its name (damaged since it was stored) is replaced.
     *
     * @throws StoreException when the store cannot be written (permissions, a full disk)
     */
    public Stored commit(ArtifactKind kind, Path stagingDir) {
        if (ContentHash.files(stagingDir).isEmpty()) {
            throw new IllegalStateException("the stage wrote no files into its output directory " + stagingDir);
        }
        String sha;
        long size;
        try {
            sha = ContentHash.ofDirectory(stagingDir);
            // Measured here: once the lock is released, another writer may move a copy it finds damaged out of the way.
            size = size(stagingDir);
        } catch (UncheckedIOException e) {
            throw new StoreException(root, "hashing " + stagingDir, e.getCause());
        }
        Path target = pathOf(kind, sha);
        try {
            OwnerOnly.tightenTree(stagingDir);
            OwnerOnly.createDirectories(target.getParent());
            locks.withLock(sha, () -> {
                place(stagingDir, target, sha);
                return null;
            });
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException(root, "storing artifact " + sha, ioOf(e));
        }
        return new Stored(kind, sha, target, size);
    }

    /** Under the hash's lock: nobody else places or removes this artifact meanwhile. */
    private void place(Path stagingDir, Path target, String sha) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && ContentHash.ofDirectory(target).equals(sha)) {
            deleteTree(stagingDir);
            return;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            // Damaged since it was stored: move it out of the way in one step, so no half-deleted copy sits there.
            Path aside = staging.newDir("damaged-" + sha.substring(0, 12)).resolve("artifact");
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
            LOG.debug("artifact {} no longer hashed to its name: replaced", target);
            deleteTree(aside.getParent());
        }
        try {
            Files.move(stagingDir, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(stagingDir, target);
        }
    }

    private static IOException ioOf(Exception e) {
        return e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
    }

    /** The stored artifact with this hash, if it is present and intact (its content still hashes to its name). */
    public Optional<Stored> find(ArtifactKind kind, String sha256) {
        Path p = pathOf(kind, sha256);
        try {
            if (!Files.isDirectory(p) || !ContentHash.ofDirectory(p).equals(sha256)) return Optional.empty();
            return Optional.of(new Stored(kind, sha256, p, size(p)));
        } catch (UncheckedIOException e) {
            return Optional.empty(); // being replaced right now by a writer that found it damaged
        }
    }

    public Path pathOf(ArtifactKind kind, String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a sha256: " + sha256);
        return root.resolve(kind.label()).resolve(sha256);
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static long size(Path dir) {
        long total = 0;
        for (Path f : ContentHash.files(dir)) {
            try {
                total += Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }
}

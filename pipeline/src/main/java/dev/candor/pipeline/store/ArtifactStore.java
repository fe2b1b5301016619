package dev.candor.pipeline.store;

import dev.candor.stages.spi.ArtifactKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The content-addressed artifact store: {@code <root>/<kind>/<sha256>/...}. An artifact is written once into a
 * staging directory, hashed, and moved into place atomically; the same content is stored once. Stored artifacts are
 * never modified, so a cached stage can hand them to its dependents as they are.
 */
public final class ArtifactStore {

    /** An artifact in the store. */
    public record Stored(ArtifactKind kind, String sha256, Path path, long sizeBytes) {
        public String uri() {
            return path.toUri().toString();
        }
    }

    private final Path root;

    public ArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root.resolve(".staging"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the artifact store at " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** A new, empty staging directory for a stage to write its output into. */
    public Path newStagingDir(String stageId) {
        try {
            return Files.createDirectory(root.resolve(".staging").resolve(stageId + "-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hashes a finished staging directory and moves it into the store (or drops it if that content is there). */
    public Stored commit(ArtifactKind kind, Path stagingDir) {
        if (ContentHash.files(stagingDir).isEmpty()) {
            throw new IllegalStateException("the stage wrote no files into its output directory " + stagingDir);
        }
        String sha = ContentHash.ofDirectory(stagingDir);
        Path target = pathOf(kind, sha);
        try {
            Files.createDirectories(target.getParent());
            if (Files.isDirectory(target) && ContentHash.ofDirectory(target).equals(sha)) {
                deleteTree(stagingDir);
            } else {
                // Absent, or damaged since it was stored (its content no longer hashes to its name): replace it.
                deleteTree(target);
                try {
                    Files.move(stagingDir, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(stagingDir, target);
                } catch (FileAlreadyExistsException e) {
                    deleteTree(stagingDir); // another process stored the same content first
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store artifact " + sha + " in " + root, e);
        }
        return new Stored(kind, sha, target, size(target));
    }

    /** The stored artifact with this hash, if it is present and intact (its content still hashes to its name). */
    public Optional<Stored> find(ArtifactKind kind, String sha256) {
        Path p = pathOf(kind, sha256);
        if (!Files.isDirectory(p) || !ContentHash.ofDirectory(p).equals(sha256)) return Optional.empty();
        return Optional.of(new Stored(kind, sha256, p, size(p)));
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

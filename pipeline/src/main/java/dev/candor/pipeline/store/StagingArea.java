package dev.candor.pipeline.store;

import dev.candor.registry.home.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's {@code .staging} directory: where stages write their output and runs keep their private copies of the
 * data, and where a killed run leaves them behind.
 *
 * <p>Each process that writes here takes an owner token ({@code p<pid>-<random>}), creates {@code <token>.owner}
 * and holds a file lock on it until it exits; its directories are named {@code <token>.<label>.<random>}. A sweep
 * removes the directories of tokens whose lock it can take (their process is gone: the kernel drops a dead process's
 * locks) and whose owner file and directories are older than {@link #MIN_AGE}. The lock, not the pid, decides: a pid
 * means nothing on another machine that shares the store, and pids are reused. The age covers the instant between a
 * process creating its owner file and locking it. A live process's directories are therefore never removed.
 */
final class StagingArea {
    private static final Logger LOG = LoggerFactory.getLogger(StagingArea.class);
    /** A dead owner's directories younger than this are left for a later sweep. */
    static final Duration MIN_AGE = Duration.ofMinutes(5);
    /** Directories named before owner tokens existed: their writer cannot be asked, so they get a day. */
    static final Duration UNOWNED_AGE = Duration.ofHours(24);
    private static final String OWNER_SUFFIX = ".owner";

    /** This process's token per staging directory, with the lock that says it is alive (held until exit). */
    private static final Map<Path, Owner> OWNERS = new ConcurrentHashMap<>();

    private record Owner(String token, FileChannel channel, FileLock lock) { }

    private final Path dir;
    private final Owner owner;

    /** @param dir the {@code .staging} directory, which exists */
    StagingArea(Path dir) throws IOException {
        this.dir = dir;
        this.owner = owner(dir);
    }

    private static Owner owner(Path dir) throws IOException {
        try {
            // A store deleted and made again under the same name while this process lives needs a new owner file.
            return OWNERS.compute(dir, (d, existing) -> existing != null
                    && Files.exists(d.resolve(existing.token() + OWNER_SUFFIX), LinkOption.NOFOLLOW_LINKS)
                    ? existing : newOwner(d, existing));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Owner newOwner(Path dir, Owner stale) {
        try {
            if (stale != null) stale.channel().close();
            String token = "p" + ProcessHandle.current().pid() + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            Path file = dir.resolve(token + OWNER_SUFFIX);
            FileChannel channel = FileChannel.open(file,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnerOnly.fileAttribute(dir));
            Owner owner = new Owner(token, channel, channel.lock());
            // A process that exits normally takes its owner file along; one that is killed leaves it to a sweep.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a later sweep removes it
                }
            }, "candor-staging-owner"));
            return owner;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** This process's owner token here. */
    String token() {
        return owner.token();
    }

    /** A new, empty, owner-only directory belonging to this process. */
    Path newDir(String label) throws IOException {
        return OwnerOnly.createDirectory(dir.resolve(owner.token() + "." + label + "." + UUID.randomUUID()));
    }

    /** Removes what dead processes left behind (see the class comment); returns what it removed. */
    List<Path> sweep(Instant now) {
        Map<String, List<Path>> byToken = new LinkedHashMap<>();
        List<Path> unowned = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                int dot = name.indexOf('.');
                if (dot > 0 && name.startsWith("p")) {
                    byToken.computeIfAbsent(name.substring(0, dot), t -> new ArrayList<>()).add(p);
                } else {
                    unowned.add(p);
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list {} to remove what killed runs left: {}", dir, e.toString());
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : byToken.entrySet()) {
            if (!e.getKey().equals(owner.token())) removed.addAll(sweepToken(e.getKey(), e.getValue(), now));
        }
        for (Path p : unowned) {
            if (olderThan(p, now, UNOWNED_AGE) && delete(p)) removed.add(p);
        }
        if (!removed.isEmpty()) LOG.debug("removed {} staging entries left by runs that were killed: {}", removed.size(), removed);
        return removed;
    }

    private List<Path> sweepToken(String token, List<Path> entries, Instant now) {
        if (!entries.stream().allMatch(p -> olderThan(p, now, MIN_AGE))) return List.of();
        Path ownerFile = dir.resolve(token + OWNER_SUFFIX);
        if (!Files.exists(ownerFile, LinkOption.NOFOLLOW_LINKS)) {
            // Its owner file is gone (a sweep removed it, or it was never made): nobody can hold it.
            return entries.stream().filter(StagingArea::delete).toList();
        }
        try (FileChannel channel = FileChannel.open(ownerFile, StandardOpenOption.WRITE);
             FileLock lock = tryLock(channel)) {
            if (lock == null) return List.of(); // its process is alive, here or on another machine
            List<Path> removed = new ArrayList<>();
            for (Path p : entries) {
                if (!p.equals(ownerFile) && delete(p)) removed.add(p);
            }
            if (delete(ownerFile)) removed.add(ownerFile);
            return removed;
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            LOG.debug("cannot check whether the owner of {} is alive: {}", ownerFile, e.toString());
            return List.of();
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            return null; // another thread of this process is checking it
        }
    }

    private static boolean olderThan(Path p, Instant now, Duration age) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(now.minus(age));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean delete(Path p) {
        try {
            ArtifactStore.deleteTree(p);
            return true;
        } catch (RuntimeException e) {
            LOG.debug("cannot remove {}: {}", p, e.toString());
            return false;
        }
    }
}

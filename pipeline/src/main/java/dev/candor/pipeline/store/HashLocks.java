package dev.candor.pipeline.store;

import dev.candor.registry.home.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion per content hash, across the threads of this process and across processes sharing the store.
 *
 * <p>Why a lock and not "move, then verify": the store replaces an artifact that no longer hashes to its name, and
 * without a lock two writers can both judge the damaged copy, one replace it, and the other then delete the good
 * copy the first just moved in, while a third process is reading it. Under the lock, a writer that finds the
 * target intact only drops its own staging copy, and only a writer holding the lock removes a damaged one.
 *
 * <p>A process-wide {@link ReentrantLock} comes first because a {@link FileLock} belongs to the whole JVM: a second
 * thread asking for the same file lock gets an {@code OverlappingFileLockException}, not a wait. The file lock then
 * excludes other processes (on a shared file system too: {@code fcntl} locks work over NFSv4). Lock files are one
 * per first two hex digits of the hash (at most 256, never deleted: deleting a lock file races with a process about
 * to lock it), which serializes unrelated commits only rarely and briefly.
 */
final class HashLocks {
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path dir;

    /** @param dir where the lock files live; created owner-only by the store */
    HashLocks(Path dir) {
        this.dir = dir;
    }

    /** Something done while holding a hash's lock. */
    interface Locked<T> {
        T run() throws IOException;
    }

    <T> T withLock(String sha256, Locked<T> action) throws IOException {
        Path file = dir.resolve(sha256.substring(0, 2) + ".lock");
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        inProcess.lock();
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                OwnerOnly.fileAttribute(dir));
             FileLock ignored = channel.lock()) {
            return action.run();
        } finally {
            inProcess.unlock();
        }
    }
}

package dev.candor.pipeline.store;

import dev.candor.stages.spi.ArtifactKind;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A second JVM for the store's tests (what another {@code candor run} process would do), started by
 * {@link StoreProcesses}:
 * <ul>
 *   <li>{@code commit ROOT THREADS ROUNDS START_FILE [corrupt]}: waits for START_FILE, then commits the same content
 *       ROUNDS times from each of THREADS threads; with {@code corrupt}, damages the stored copy every third round
 *       first. Prints "ok N" and exits 0 when every commit returned the intact artifact, else prints what failed
 *       and exits 1.
 *   <li>{@code stage ROOT}: makes a staging directory, prints its path, and waits to be killed.
 * </ul>
 */
public final class StoreChild {
    private StoreChild() {
    }

    public static void main(String[] args) throws Exception {
        ArtifactStore store = new ArtifactStore(Path.of(args[1]));
        if (args[0].equals("stage")) {
            System.out.println(store.newStagingDir("held"));
            System.out.flush();
            Thread.sleep(600_000);
            return;
        }
        int threads = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Path start = Path.of(args[4]);
        boolean corrupt = args.length > 5 && args[5].equals("corrupt");
        while (!Files.exists(start)) Thread.sleep(1);
        String expected = StoreProcesses.expectedSha();
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                for (int r = 0; r < rounds; r++) {
                    try {
                        if (corrupt && r % 3 == 0) damage(store.pathOf(ArtifactKind.DATASET, expected));
                        Path staging = store.newStagingDir("child");
                        StoreProcesses.writeContent(staging);
                        ArtifactStore.Stored s = store.commit(ArtifactKind.DATASET, staging);
                        if (!s.sha256().equals(expected)) failures.add("committed " + s.sha256());
                        else ok.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e.toString());
                    }
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) w.join();
        if (!failures.isEmpty()) {
            System.out.println("failed " + failures.size() + ": " + failures.subList(0, Math.min(5, failures.size())));
            System.exit(1);
        }
        System.out.println("ok " + ok.get());
    }

    /** Disk damage, outside the store's protocol: cuts one stored file short if the artifact is there. */
    static void damage(Path artifact) {
        try (RandomAccessFile f = new RandomAccessFile(artifact.resolve("part-0.bin").toFile(), "rw")) {
            f.setLength(f.length() / 2);
        } catch (IOException absentOrMoving) {
            // not stored yet, or being replaced right now
        }
    }
}

package dev.candor.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.stages.spi.ArtifactKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 4: runs storing the same artifact at once. Before the per-hash lock, a second writer's rename met the
 * first one's directory ({@code FileSystemException: Directory not empty}) and failed its stage, and the "damaged:
 * replace it" path could remove a good copy another process had just moved in.
 */
class ConcurrentCommitTest {
    @TempDir
    Path dir;

    @Test
    void manyThreadsCommittingTheSameContentAllGetTheOneIntactCopy() throws Exception {
        Path root = dir.resolve("artifacts");
        String expected = StoreProcesses.expectedSha();
        int threads = 16;
        CyclicBarrier together = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ArtifactStore.Stored>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    ArtifactStore store = new ArtifactStore(root); // each its own instance, as separate runs have
                    Path staging = store.newStagingDir("t");
                    StoreProcesses.writeContent(staging);
                    together.await();
                    return store.commit(ArtifactKind.DATASET, staging);
                }));
            }
            for (Future<ArtifactStore.Stored> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS).sha256()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        ArtifactStore store = new ArtifactStore(root);
        assertThat(store.find(ArtifactKind.DATASET, expected)).as("stored and intact").isPresent();
        assertThat(stagingDirs(root)).as("every staging copy dropped or moved in").isEmpty();
    }

    @Test
    void aDamagedCopyIsReplacedWhileOtherThreadsCommitTheSameContent() throws Exception {
        Path root = dir.resolve("artifacts");
        ArtifactStore store = new ArtifactStore(root);
        String expected = StoreProcesses.expectedSha();
        Path first = store.newStagingDir("first");
        StoreProcesses.writeContent(first);
        Path stored = store.commit(ArtifactKind.DATASET, first).path();
        for (int round = 0; round < 5; round++) {
            StoreChild.damage(stored);
            assertThat(store.find(ArtifactKind.DATASET, expected)).as("damaged").isEmpty();
            int threads = 8;
            CyclicBarrier together = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        Path staging = store.newStagingDir("t");
                        StoreProcesses.writeContent(staging);
                        together.await();
                        return store.commit(ArtifactKind.DATASET, staging).sha256();
                    }));
                }
                for (Future<String> f : results) assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.find(ArtifactKind.DATASET, expected)).as("replaced by an intact copy").isPresent();
        }
        assertThat(stagingDirs(root)).isEmpty();
    }

    @Test
    void threeProcessesAndTheirThreadsCommitTheSameContentAtOnceOneOfThemDamagingIt() throws Exception {
        Path root = dir.resolve("artifacts");
        new ArtifactStore(root);
        Path start = dir.resolve("start");
        List<Process> children = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Path log = dir.resolve("child-" + c + ".log");
            logs.add(log);
            children.add(StoreProcesses.start(log, "commit", root.toString(), "4", "15", start.toString(),
                    c == 0 ? "corrupt" : "clean"));
        }
        Files.writeString(start, "go"); // all JVMs start committing together once they are up
        for (int c = 0; c < children.size(); c++) {
            assertThat(children.get(c).waitFor(120, TimeUnit.SECONDS)).as("child %d finished", c).isTrue();
            assertThat(children.get(c).exitValue()).as(StoreProcesses.output(logs.get(c))).isZero();
            assertThat(StoreProcesses.output(logs.get(c))).contains("ok 60");
        }
        ArtifactStore store = new ArtifactStore(root);
        Path last = store.newStagingDir("last");
        StoreProcesses.writeContent(last);
        String sha = store.commit(ArtifactKind.DATASET, last).sha256(); // repairs a damage done after the last commit
        assertThat(store.find(ArtifactKind.DATASET, sha)).isPresent();
        assertThat(stagingDirs(root)).isEmpty();
    }

    static List<Path> stagingDirs(Path root) throws Exception {
        try (Stream<Path> s = Files.list(root.resolve(".staging"))) {
            return s.filter(Files::isDirectory).toList();
        }
    }
}

package dev.candor.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 4: staging directories left by killed runs are removed when a store is opened, and a live run's never
 * are, however old. The other runs are real JVMs ({@link StoreChild}), killed with SIGKILL.
 */
class StagingSweepTest {
    @TempDir
    Path dir;
    Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts a JVM that makes a staging directory in the store and holds it until killed; returns the directory. */
    Path childHoldingAStagingDir(Path root) throws Exception {
        Path log = dir.resolve("child.log");
        child = StoreProcesses.start(log, "stage", root.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String out = StoreProcesses.output(log);
            for (String line : out.lines().toList()) {
                if (line.startsWith("/") && Files.isDirectory(Path.of(line))) return Path.of(line);
            }
            assertThat(child.isAlive()).as(out).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("the child made no staging directory: " + StoreProcesses.output(log));
    }

    static void age(Path p, Duration by) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(by)));
    }

    /** The entries (the directory and its process's owner file) a staging directory's owner token has. */
    static void ageToken(Path stagingDir, Duration by) throws IOException {
        String token = stagingDir.getFileName().toString().split("\\.")[0];
        try (Stream<Path> s = Files.list(stagingDir.getParent())) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(token + ".")).toList()) age(p, by);
        }
    }

    static Path ownerFile(Path stagingDir) {
        return stagingDir.resolveSibling(stagingDir.getFileName().toString().split("\\.")[0] + ".owner");
    }

    @Test
    void aKilledRunsOldStagingDirectoryIsRemovedWithItsOwnerFile() throws Exception {
        Path root = dir.resolve("artifacts");
        Path left = childHoldingAStagingDir(root);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        ageToken(left, Duration.ofMinutes(10));

        new ArtifactStore(root);

        assertThat(left).doesNotExist();
        assertThat(ownerFile(left)).doesNotExist();
    }

    @Test
    void aKilledRunsRecentStagingDirectoryWaitsForALaterSweep() throws Exception {
        Path root = dir.resolve("artifacts");
        Path left = childHoldingAStagingDir(root);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        new ArtifactStore(root);

        assertThat(left).as("younger than " + StagingArea.MIN_AGE).isDirectory();
    }

    @Test
    void aLiveRunsStagingDirectoryIsKeptHoweverOld() throws Exception {
        Path root = dir.resolve("artifacts");
        Path held = childHoldingAStagingDir(root);
        ageToken(held, Duration.ofDays(3));

        new ArtifactStore(root);

        assertThat(held).as("its process holds the lock on its owner file").isDirectory();
        assertThat(child.isAlive()).isTrue();
    }

    @Test
    void thisProcesssOwnStagingDirectoryIsKept() throws Exception {
        Path root = dir.resolve("artifacts");
        Path mine = new ArtifactStore(root).newStagingDir("mine");
        ageToken(mine, Duration.ofDays(3));

        new ArtifactStore(root);

        assertThat(mine).isDirectory();
    }

    @Test
    void aDirectoryFromBeforeOwnerTokensIsRemovedOnlyAfterADay() throws Exception {
        Path root = dir.resolve("artifacts");
        Path old = Files.createDirectories(root.resolve(".staging/data-2c4ab1f0-old"));
        Path recent = Files.createDirectories(root.resolve(".staging/data-9e1d7a22-recent"));
        age(old, Duration.ofHours(25));
        age(recent, Duration.ofHours(2));

        new ArtifactStore(root);

        assertThat(old).doesNotExist();
        assertThat(recent).isDirectory();
    }
}

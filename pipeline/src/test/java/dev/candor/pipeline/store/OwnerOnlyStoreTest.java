package dev.candor.pipeline.store;

import dev.candor.registry.home.OwnerOnly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.stages.spi.ArtifactKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 1 (the artifact store's part): datasets are copies of the input data, so every directory of the
 * store is {@code rwx------} and every file {@code rw-------}, whatever the umask, and an older store is tightened
 * when it is opened.
 */
class OwnerOnlyStoreTest {
    @TempDir
    Path dir;

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    static void assertOwnerOnly(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.toList();
        }
        assertThat(all).hasSizeGreaterThan(5).allSatisfy(p ->
                assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------"));
    }

    @Test
    void aNewStoreAndWhatIsCommittedToItAreOwnerOnlyEvenWhenAStageWroteThemOpen() throws IOException {
        Path root = dir.resolve("home/artifacts");
        ArtifactStore store = new ArtifactStore(root);
        Path staging = store.newStagingDir("data");
        assertThat(mode(staging)).isEqualTo("rwx------");
        StoreProcesses.writeContent(staging);
        // What a stage under a permissive umask (000) leaves: world-writable files and directories.
        Files.setPosixFilePermissions(staging.resolve("part-0.bin"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(staging.resolve("meta"), PosixFilePermissions.fromString("rwxrwxrwx"));

        ArtifactStore.Stored stored = store.commit(ArtifactKind.DATASET, staging);

        assertThat(stored.path()).startsWith(root);
        assertOwnerOnly(root);
    }

    @Test
    void anOlderStoreIsTightenedWhenOpened() throws IOException {
        Path root = dir.resolve("artifacts");
        Path artifact = Files.createDirectories(root.resolve("dataset").resolve("a".repeat(64)));
        Files.createDirectories(root.resolve(".staging"));
        Files.writeString(artifact.resolve("train.avro"), "rows");
        Files.writeString(artifact.resolve("schema.json"), "{}");
        for (Path d : List.of(root, root.resolve("dataset"), artifact, root.resolve(".staging"))) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(artifact.resolve("train.avro"), PosixFilePermissions.fromString("rw-r--r--"));

        new ArtifactStore(root);

        assertOwnerOnly(root);
    }
}

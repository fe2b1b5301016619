package dev.candor.pipeline.exec;

import dev.candor.registry.home.OwnerOnly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.candor.pipeline.spec.PipelineLoader;
import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.spec.StageSpec;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.pipeline.store.ContentHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's private copy of a stage's data files: owner-only, under the store, hashed as copied. */
class DataSnapshotTest {
    @TempDir
    Path dir;

    @Test
    void copiesEachDataFileOwnerOnlyIntoTheStoreAndHashesWhatItCopied() throws Exception {
        Path number = Files.writeString(dir.resolve("number.txt"), "20");
        Files.setPosixFilePermissions(number, PosixFilePermissions.fromString("rw-r--r--"));
        Path yaml = Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: snap}
                spec:
                  stages:
                    - {id: data, type: test.source, with: {path: number.txt}}
                """);
        PipelineSpec spec = new PipelineLoader(ExecutorTest.CATALOG, List.of()).load(yaml);
        StageSpec stage = spec.stages().get(0);
        ArtifactStore store = new ArtifactStore(dir.resolve("home/artifacts"));

        DataSnapshot snapshot = DataSnapshot.take(stage, spec.dataRoots(), dir.toAbsolutePath(), store);

        Path copy = snapshot.copies().get(number.toAbsolutePath());
        assertThat(copy).startsWith(store.root().resolve(".staging")).hasFileName("number.txt").hasContent("20");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
        for (Path d = copy.getParent(); !d.equals(store.root()); d = d.getParent()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
        assertThat(snapshot.hashes()).containsExactly(entry("number.txt", ContentHash.ofFile(number)));
        assertThat(((EngineTestStages.SourceConfig) stage.configReading(snapshot.copies())).path()).isEqualTo(copy.toString());
        ArtifactStore.deleteTree(snapshot.dir());
    }
}

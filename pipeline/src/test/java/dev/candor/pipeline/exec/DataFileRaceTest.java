package dev.candor.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.pipeline.spec.PipelineLoader;
import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.pipeline.store.ContentHash;
import dev.candor.registry.DbConfig;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.RunDetail;
import dev.candor.registry.StageRunView;
import dev.candor.stages.spi.StageCatalog;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 3: a data file checked when the YAML loaded and swapped for a link to a file outside the data roots
 * before (or while) the run reads it. Real ingest.csv, real registry and store; the outside file's header is a marker
 * that must never be ingested nor appear in any message, record or artifact.
 */
class DataFileRaceTest {
    static final String MARKER = "SECRET_MARKER_7f3a";
    static final StageCatalog CATALOG = StageCatalog.load();

    @TempDir
    Path dir;
    Path root;
    Path outside;
    RegistryDb db;
    Executor executor;
    String insideSha;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("pipelines"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(root.resolve("data"));
        StringBuilder inside = new StringBuilder("x,y\n");
        StringBuilder secret = new StringBuilder(MARKER + ",y\n");
        for (int i = 0; i < 60; i++) {
            inside.append(i).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
            secret.append(i).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Files.writeString(root.resolve("data/cohort.csv"), inside);
        Files.writeString(outside.resolve("cohort.csv"), secret);
        insideSha = ContentHash.of(inside.toString());
        db = RegistryDb.open(DbConfig.h2(dir.resolve("home")));
        executor = new Executor(CATALOG, new ArtifactStore(dir.resolve("home/artifacts")), db.registry(),
                EngineSettings.defaults());
    }

    @AfterEach
    void close() {
        db.close();
    }

    PipelineSpec load() throws Exception {
        Path yaml = Files.writeString(root.resolve("pipeline.yaml"), """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: race}
                spec:
                  seed: 5
                  stages:
                    - {id: data, type: ingest.csv, with: {path: data/cohort.csv, label: y}}
                """);
        return new PipelineLoader(CATALOG, List.of()).load(yaml);
    }

    /** Everything a user or a reviewer could see of a run: its result, its registry record. */
    String visible(RunResult r) {
        RunDetail d = db.registry().getRun(r.runId()).orElseThrow();
        return r + "\n" + d;
    }

    /** Every byte under the Candor home (registry files, artifacts) and every recorded text contain no marker. */
    void assertNoMarkerAnywhere(List<String> texts) throws IOException {
        assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(MARKER));
        byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir.resolve("home"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(indexOf(Files.readAllBytes(f), marker)).as("marker in " + f).isNegative();
            }
        }
    }

    void assertIngestedTheInsideFile(RunResult r) throws IOException {
        StageRunView data = db.registry().getRun(r.runId()).orElseThrow().stages().get(0);
        Path artifact = Path.of(URI.create(data.output().uri()));
        assertThat(Files.readString(artifact.resolve("schema.json"))).contains(insideSha).doesNotContain(MARKER);
    }

    @Test
    void aDirectoryOnThePathSwappedForALinkAfterValidationIsRefusedNamingStageAndKey() throws Exception {
        PipelineSpec spec = load();
        Files.move(root.resolve("data"), root.resolve("data.real"));
        Files.createSymbolicLink(root.resolve("data"), outside);

        RunResult r = executor.run(spec, RunListener.NONE);

        assertThat(r.succeeded()).isFalse();
        assertThat(r.failure()).contains("stage 'data' failed: key 'path': refused to read "
                + root.resolve("data/cohort.csv"), "outside the data roots (" + root + ")");
        assertThat(db.registry().getRun(r.runId()).orElseThrow().stages()).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("FAILED"));
        assertNoMarkerAnywhere(List.of(visible(r)));
    }

    @Test
    void theFileSwappedForALinkAfterValidationIsRefused() throws Exception {
        PipelineSpec spec = load();
        Files.delete(root.resolve("data/cohort.csv"));
        Files.createSymbolicLink(root.resolve("data/cohort.csv"), outside.resolve("cohort.csv"));

        RunResult r = executor.run(spec, RunListener.NONE);

        assertThat(r.failure()).contains("stage 'data' failed: key 'path': refused to read", "outside the data roots");
        assertNoMarkerAnywhere(List.of(visible(r)));
    }

    @Test
    void whatIsIngestedIsWhatWasFingerprintedAndTheCopyIsGoneAfterwards() throws Exception {
        RunResult r = executor.run(load(), RunListener.NONE);

        assertThat(r.succeeded()).as(r.failure()).isTrue();
        assertIngestedTheInsideFile(r);
        try (Stream<Path> staging = Files.list(dir.resolve("home/artifacts/.staging"))) {
            assertThat(staging.filter(Files::isDirectory).toList()).as("the private copy is removed").isEmpty();
        }
    }

    @Test
    void swappingTheFileForALinkWhileRunsReadItNeverIngestsTheOutsideFile() throws Exception {
        PipelineSpec spec = load();
        Path file = root.resolve("data/cohort.csv");
        Path real = Files.move(file, root.resolve("data/cohort.real"));
        Files.createLink(file, real);
        race(spec, () -> {
            // Both states are put in place by an atomic rename, so the name always exists.
            Path link = Files.createSymbolicLink(root.resolve("data/swap.link"), outside.resolve("cohort.csv"));
            Files.move(link, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(1);
            Path hard = Files.createLink(root.resolve("data/swap.hard"), real);
            Files.move(hard, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(1);
        });
    }

    @Test
    void swappingADirectoryOnThePathWhileRunsReadItNeverIngestsTheOutsideFile() throws Exception {
        PipelineSpec spec = load();
        Path data = root.resolve("data");
        Path parked = root.resolve("data.parked");
        race(spec, () -> {
            Files.move(data, parked);
            Files.createSymbolicLink(data, outside);
            Thread.sleep(1);
            Files.delete(data);
            Files.move(parked, data);
            Thread.sleep(1);
        });
    }

    interface Swap {
        void once() throws Exception;
    }

    /** Runs the pipeline again and again while another thread keeps swapping; every outcome is checked. */
    private void race(PipelineSpec spec, Swap swap) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        List<Throwable> swapFailures = new ArrayList<>();
        Thread swapper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    swap.once();
                    swaps.incrementAndGet();
                }
            } catch (Throwable e) {
                swapFailures.add(e);
            }
        }, "swapper");
        List<String> seen = new ArrayList<>();
        int succeeded = 0;
        int refused = 0;
        swapper.start();
        try {
            for (int i = 0; i < 30 || (succeeded == 0 || refused == 0) && i < 200; i++) {
                RunResult r = executor.run(spec, RunListener.NONE);
                seen.add(visible(r));
                if (r.succeeded()) {
                    succeeded++;
                    assertIngestedTheInsideFile(r);
                } else {
                    assertThat(r.failure()).startsWith("stage 'data' failed: key 'path': ")
                            .containsAnyOf("refused to read", "is gone");
                    if (r.failure().contains("refused to read")) refused++;
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        System.err.printf("race: %d runs, %d succeeded, %d refused, %d swaps%n", seen.size(), succeeded, refused, swaps.get());
        assertThat(swapFailures).isEmpty();
        assertThat(swaps.get()).as("the swapper ran").isGreaterThan(10);
        assertThat(succeeded).as("runs that read the inside file").isPositive();
        assertThat(refused).as("runs that met the link and refused it").isPositive();
        assertNoMarkerAnywhere(seen);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}

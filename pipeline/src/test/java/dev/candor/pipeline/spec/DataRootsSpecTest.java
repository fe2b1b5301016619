package dev.candor.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.candor.stages.ingest.CsvIngestConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data files stay inside the data roots: the pipeline's directory by default, more when the operator allows. */
class DataRootsSpecTest {
    @TempDir
    Path dir;
    private Path pipelines;
    private Path shared;

    @BeforeEach
    void setUp() throws IOException {
        pipelines = Files.createDirectories(dir.resolve("pipelines"));
        shared = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(shared.resolve("cohort.csv"), "x,y\n1,0\n");
    }

    private Path pipeline(String path) throws IOException {
        return Files.writeString(pipelines.resolve("p.yaml"), """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: roots}
                spec:
                  stages:
                    - id: data
                      type: ingest.csv
                      with: {path: %s, label: y}
                """.formatted(path));
    }

    @Test
    void refusesAFileOutsideThePipelineDirectoryByDefault() throws IOException {
        Path file = pipeline("../shared/cohort.csv");

        SpecException e = catchThrowableOfType(SpecException.class, () -> TestStages.loader().load(file));

        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.position()).isEqualTo(new Position(8, 20));
            assertThat(error.message()).contains("'../shared/cohort.csv' resolves to " + shared.resolve("cohort.csv"))
                    .contains("outside the data roots (" + pipelines + ")");
            assertThat(error.fix()).contains("CANDOR_DATA_ROOTS");
        });
    }

    @Test
    void acceptsItUnderAnExtraRootAndHandsTheRecordTheAbsolutePath() throws Exception {
        Path file = pipeline("../shared/cohort.csv");

        PipelineSpec spec = new PipelineLoader(TestStages.catalog(), List.of(shared)).load(file);

        Path cohort = shared.resolve("cohort.csv").toAbsolutePath().normalize();
        assertThat(spec.stages().get(0).config(CsvIngestConfig.class).path()).isEqualTo(cohort.toString());
        assertThat(spec.stages().get(0).dataFiles()).containsExactly(cohort);
    }

    @Test
    void refusesASymbolicLinkThatLeadsOutOfTheRoots() throws IOException {
        Path link = Files.createSymbolicLink(pipelines.resolve("cohort.csv"), shared.resolve("cohort.csv"));
        Path file = pipeline("cohort.csv");

        SpecException e = catchThrowableOfType(SpecException.class, () -> TestStages.loader().load(file));

        assertThat(e.errors()).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("'cohort.csv' is a link to " + shared.toRealPath()));
        assertThat(link).exists();
    }

    @Test
    void parsesTheDataRootsVariable() {
        assertThat(PipelineLoader.parseDataRoots(null)).isEmpty();
        assertThat(PipelineLoader.parseDataRoots("  ")).isEmpty();
        assertThat(PipelineLoader.parseDataRoots("/data/a" + File.pathSeparator + File.pathSeparator + " /data/b "))
                .containsExactly(Path.of("/data/a"), Path.of("/data/b"));
    }

    @Test
    void reportsAMissingPipelineFileAsOneError() {
        Path missing = dir.resolve("nope.yaml");

        SpecException e = catchThrowableOfType(SpecException.class, () -> TestStages.loader().load(missing));

        assertThat(e.getMessage()).isEqualTo(missing + ":1:1: no such file — check the path of the pipeline file");
    }

    @Test
    void refusesAFileThatIsNotUtf8() throws IOException {
        Path file = Files.write(pipelines.resolve("latin1.yaml"), new byte[] {'k', 'i', 'n', 'd', ':', ' ', (byte) 0xE9});

        SpecException e = catchThrowableOfType(SpecException.class, () -> TestStages.loader().load(file));

        assertThat(e.errors()).singleElement().extracting(SpecError::message).isEqualTo("the file is not UTF-8 text");
    }

    @Test
    void refusesHostileNestingWithAnErrorInsteadOfACrash() throws IOException {
        Path deep = Files.writeString(pipelines.resolve("deep.yaml"), "spec: " + "[".repeat(100) + "]".repeat(100));
        // Over many lines: one line of 200,000 characters is refused before parsing, for its length.
        Path deeper = Files.writeString(pipelines.resolve("deeper.yaml"), "spec: " + "[\n ".repeat(200_000));

        SpecException e = catchThrowableOfType(SpecException.class, () -> TestStages.loader().load(deep));
        SpecException f = catchThrowableOfType(SpecException.class, () -> TestStages.loader().load(deeper));

        assertThat(e.errors()).singleElement().extracting(SpecError::message)
                .isEqualTo("the YAML nests more than 64 levels deep");
        assertThat(f.errors()).singleElement().extracting(SpecError::message).asString().containsAnyOf("YAML", "deep");
    }
}

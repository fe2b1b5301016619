package dev.candor.pipeline.spec;

import dev.candor.stages.spi.StageCatalog;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The catalog the spec tests load pipelines against, and the test resources' location. */
final class TestStages {
    private TestStages() {
    }

    static StageCatalog catalog() {
        return StageCatalog.of(new TestIngestStage(), new TestTrainStage(), new TestEvaluateStage());
    }

    static PipelineLoader loader() {
        return new PipelineLoader(catalog());
    }

    static Path resource(String name) {
        try {
            return Path.of(TestStages.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

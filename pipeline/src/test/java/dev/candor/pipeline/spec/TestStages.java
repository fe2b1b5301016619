package dev.candor.pipeline.spec;

import dev.candor.stages.evaluate.EvaluateStage;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.nn.OnnxTrainStage;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.train.TribuoTrainStage;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The catalog the spec tests load pipelines against, and the test resources' location. */
final class TestStages {
    private TestStages() {
    }

    /**
     * The real ingest, train (Tribuo and ONNX) and evaluate stages: loading a pipeline reads their types, configs and
     * ports, never runs them.
     */
    static StageCatalog catalog() {
        return StageCatalog.of(new CsvIngestStage(), new TribuoTrainStage(), new OnnxTrainStage(), new EvaluateStage());
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

package dev.candor.pipeline.spec;

import dev.candor.stages.ingest.CsvIngestConfig;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.util.List;

/** Stands in for the real {@code ingest.csv} (built on another branch): the same type, config and ports. */
final class TestIngestStage implements Stage<CsvIngestConfig> {
    @Override
    public String type() {
        return "ingest.csv";
    }

    @Override
    public String description() {
        return "Reads a CSV file into a dataset";
    }

    @Override
    public Class<CsvIngestConfig> configType() {
        return CsvIngestConfig.class;
    }

    @Override
    public List<InputPort> inputs() {
        return List.of();
    }

    @Override
    public ArtifactKind output() {
        return ArtifactKind.DATASET;
    }

    @Override
    public StageOutput run(CsvIngestConfig config, StageContext context) {
        throw new UnsupportedOperationException("a test stand-in: the spec tests never run stages");
    }
}

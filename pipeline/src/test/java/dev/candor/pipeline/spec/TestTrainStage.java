package dev.candor.pipeline.spec;

import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import dev.candor.stages.train.TribuoTrainConfig;
import java.util.List;

/** Stands in for the real {@code train.tribuo}: the same type, config and ports. */
final class TestTrainStage implements Stage<TribuoTrainConfig> {
    @Override
    public String type() {
        return "train.tribuo";
    }

    @Override
    public String description() {
        return "Trains a classical model with Tribuo";
    }

    @Override
    public Class<TribuoTrainConfig> configType() {
        return TribuoTrainConfig.class;
    }

    @Override
    public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.DATASET, "the data to train on"));
    }

    @Override
    public ArtifactKind output() {
        return ArtifactKind.MODEL;
    }

    @Override
    public StageOutput run(TribuoTrainConfig config, StageContext context) {
        throw new UnsupportedOperationException("a test stand-in: the spec tests never run stages");
    }
}

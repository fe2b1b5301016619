package dev.candor.pipeline.spec;

import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.util.List;

/** A stage taking several models, to test implied inputs through more than one path. */
final class EnsembleStage implements Stage<EnsembleStage.VoteConfig> {

    record VoteConfig(List<Double> weights) {
    }

    @Override
    public String type() {
        return "ensemble.vote";
    }

    @Override
    public String description() {
        return "Averages the class probabilities of several models";
    }

    @Override
    public Class<VoteConfig> configType() {
        return VoteConfig.class;
    }

    @Override
    public List<InputPort> inputs() {
        return List.of(new InputPort(ArtifactKind.MODEL, 2, 5, "the models to combine"));
    }

    @Override
    public ArtifactKind output() {
        return ArtifactKind.MODEL;
    }

    @Override
    public StageOutput run(VoteConfig config, StageContext context) {
        throw new UnsupportedOperationException("a test stand-in: the spec tests never run stages");
    }
}

package dev.candor.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.candor.stages.evaluate.EvaluateStage;
import dev.candor.stages.ingest.CsvIngestStage;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.train.TribuoTrainStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs across more than one path: implied datasets through an ensemble, ambiguity, counts and longer cycles. */
class StageGraphSpecTest {
    private static final String HEAD = """
            apiVersion: candor/v1
            kind: Pipeline
            metadata: {name: ensemble}
            spec:
              stages:
                - {id: data, type: ingest.csv, with: {path: a.csv, label: y}}
                - {id: other, type: ingest.csv, with: {path: a.csv, label: y}}
            """;

    @TempDir
    Path dir;
    private PipelineLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "x,y\n1,0\n");
        loader = new PipelineLoader(StageCatalog.of(new CsvIngestStage(), new TribuoTrainStage(),
                new EvaluateStage(), new EnsembleStage()));
    }

    private PipelineSpec load(String stages) throws SpecException {
        return loader.parse(dir.resolve("pipeline.yaml"), HEAD + stages.indent(4));
    }

    private List<String> errors(String stages) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> load(stages));
        assertThat(e).as("expected errors for:\n%s", stages).isNotNull();
        return e.errors().stream().map(err -> err.line() + ":" + err.column() + ": " + err.message()).toList();
    }

    @Test
    void impliesTheDatasetEveryModelOfAnEnsembleWasTrainedOn() throws Exception {
        PipelineSpec spec = load("""
                - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression}}
                - {id: gbt, type: train.tribuo, inputs: [data], with: {algorithm: xgboost}}
                - {id: vote, type: ensemble.vote, inputs: [lr, gbt]}
                - {id: eval, type: evaluate, inputs: [vote]}
                """);

        assertThat(spec.stage("eval").orElseThrow().resolvedInputs()).containsExactly("vote", "data");
        assertThat(spec.stage("vote").orElseThrow().resolvedInputs()).containsExactly("lr", "gbt");
    }

    @Test
    void refusesToGuessBetweenTwoUpstreamDatasets() {
        assertThat(errors("""
                - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression}}
                - {id: gbt, type: train.tribuo, inputs: [other], with: {algorithm: xgboost}}
                - {id: vote, type: ensemble.vote, inputs: [lr, gbt]}
                - {id: eval, type: evaluate, inputs: [vote]}
                """)).containsExactly("11:42: stage 'eval' needs a dataset input (the data to score), and several"
                + " lie upstream of its inputs (data, other), so none can be implied");
    }

    @Test
    void countsInputsAgainstThePortLimits() {
        assertThat(errors("""
                - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: cart}}
                - {id: vote, type: ensemble.vote, inputs: [lr]}
                """)).containsExactly(
                "9:47: stage 'vote' needs at least 2 model inputs (the models to combine), but lists 1: lr");
    }

    @Test
    void namesALongerCycleInTheDirectionDataFlows() {
        assertThat(errors("""
                - {id: a, type: train.tribuo, inputs: [data], with: {algorithm: cart}}
                - {id: b, type: ensemble.vote, inputs: [a, d]}
                - {id: c, type: ensemble.vote, inputs: [b, a]}
                - {id: d, type: ensemble.vote, inputs: [c, a]}
                """)).containsExactly("9:48: stages form a cycle: b → c → d → b");
    }
}

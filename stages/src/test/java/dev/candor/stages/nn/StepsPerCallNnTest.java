package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.gpu.session.Device;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.TrainLoopGraph;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import ai.onnxruntime.OrtSession;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.nn.train.NnData;
import dev.candor.stages.nn.train.StepGroup;
import dev.candor.stages.nn.train.TrainStep;
import java.util.Map;
import java.util.SplittableRandom;
import dev.candor.stages.nn.train.Schedule;
import dev.candor.stages.nn.train.TrainConfig;
import dev.candor.stages.nn.train.Trainer;
import dev.candor.stages.nn.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * K train steps in one call of the ONNX {@code Loop} graph give exactly the weights, losses and metrics of K calls
 * of the single-step graph: the loop body is the step graph, and the trainer draws the same inputs in the same order.
 */
class StepsPerCallNnTest {
    private static TrainConfig config(int epochs, int batch, long seed, int k) {
        return new TrainConfig(epochs, batch, seed, new Schedule(Schedule.Kind.COSINE, 1, 1, 1e-4, 1), Optional.empty(),
                Device.CPU, 1).withStepsPerCall(k);
    }

    private static void assertSame(TrainingResult a, TrainingResult b) {
        assertThat(b.history()).isEqualTo(a.history());
        assertThat(b.steps()).isEqualTo(a.steps());
        assertThat(b.values().keySet()).isEqualTo(a.values().keySet());
        for (String k : a.values().keySet()) assertThat(b.values().get(k)).as(k).isEqualTo(a.values().get(k));
    }

    /** 341 rows in batches of 16: 21 full batches per epoch (groups of 8, 8, 5) and one partial batch of 5 rows. */
    @Test
    void mlpWithDropoutAndAdamGivesBitIdenticalResultsForEightStepsPerCall() {
        NnTrainingTest.Split s = NnTrainingTest.breastCancer(11);
        assertThat(s.train().rows() % 16).as("a partial last batch is exercised").isNotZero();
        CompiledModel m = TrainStepCompiler.compile(NnTrainingTest.mlp(), TensorShape.of(30), 2, TrainStepCompiler.Options.TRAINING);
        TrainingResult one = Trainer.train(m, s.train(), s.val(), config(3, 16, 9, 1), e -> { });
        TrainingResult eight = Trainer.train(m, s.train(), s.val(), config(3, 16, 9, 8), e -> { });
        TrainingResult again = Trainer.train(m, s.train(), s.val(), config(3, 16, 9, 8), e -> { });
        assertSame(one, eight);
        assertSame(eight, again);
        assertThat(one.history().get(2).trainLoss()).isLessThan(one.history().get(0).trainLoss());
    }

    @Test
    void smallCnnGivesBitIdenticalResultsForFourStepsPerCall() {
        CsvTable t = CsvTable.read(Path.of("src/test/resources/data/digits_8x8.csv"), Integer::parseInt);
        int[] order = t.shuffled(8);
        int[] train = CsvTable.range(order, 0, 300);
        int[] val = CsvTable.range(order, 300, 400);
        NnData tr = NnData.classes(t.scaled(train, 16f), t.labelsOf(train), 64, 10);
        NnData va = NnData.classes(t.scaled(val, 16f), t.labelsOf(val), 64, 10);
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(List.of("conv 8 3x3 relu", "maxpool 2", "flatten",
                "dense 32 relu", "dropout 0.2")), LossSpec.of(LossSpec.Kind.CROSS_ENTROPY),
                OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.002));
        CompiledModel m = TrainStepCompiler.compile(spec, TensorShape.of(1, 8, 8), 10, TrainStepCompiler.Options.TRAINING);
        TrainingResult one = Trainer.train(m, tr, va, config(2, 32, 5, 1), e -> { });
        TrainingResult four = Trainer.train(m, tr, va, config(2, 32, 5, 4), e -> { });
        assertSame(one, four);
    }

    /**
     * Directly through {@link TrainStep}: three steps in one loop call and three single steps, with example weights,
     * dropout and a batch-norm buffer, end in the same bytes and report the same losses.
     */
    @Test
    void oneLoopCallEqualsSingleStepsWithWeightsAndBatchNorm() {
        NnTrainingTest.Split s = NnTrainingTest.breastCancer(4);
        float[] w = new float[s.train().rows()];
        for (int i = 0; i < w.length; i++) w[i] = 0.5f + (i % 3);
        NnData data = s.train().withWeights(w);
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(List.of("dense 16", "batchnorm", "relu", "dropout 0.3")),
                LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.01));
        CompiledModel m = TrainStepCompiler.compile(spec, TensorShape.of(30), 2,
                TrainStepCompiler.Options.TRAINING.withExampleWeights(true));
        SessionSettings settings = new SessionSettings(Device.CPU, 1, OrtSession.SessionOptions.OptLevel.ALL_OPT);
        int[] rows = new int[data.rows()];
        for (int i = 0; i < rows.length; i++) rows[i] = rows.length - 1 - i;
        float[] single = new float[3];
        float[] looped = new float[3];
        Map<String, float[]> a;
        Map<String, float[]> b;
        try (TrainStep step = TrainStep.open(m, settings, new SplittableRandom(3))) {
            SplittableRandom r = new SplittableRandom(8);
            TrainStep.Batch batch = step.batch(20);
            for (int j = 0; j < 3; j++) {
                batch.fill(data, rows, 20 * j);
                batch.dropout(r);
                single[j] = step.run(batch, 0.01 * (j + 1));
            }
            a = step.values();
            assertThatThrownBy(() -> step.group(3, 20)).hasMessageContaining("opened without its loop graph");
        }
        try (TrainStep step = TrainStep.open(m, settings, new SplittableRandom(3), true)) {
            SplittableRandom r = new SplittableRandom(8);
            StepGroup group = step.group(3, 20);
            for (int j = 0; j < 3; j++) {
                group.fill(j, data, rows, 20 * j);
                group.dropout(j, r);
                group.lr(j, 0.01 * (j + 1));
            }
            step.run(group);
            for (int j = 0; j < 3; j++) looped[j] = group.loss(j);
            assertThat(step.steps()).isEqualTo(3);
            b = step.values();
        }
        assertThat(looped).isEqualTo(single);
        assertThat(b.keySet()).isEqualTo(a.keySet()).contains("l2.bn.running_var");
        for (String k : a.keySet()) assertThat(b.get(k)).as(k).isEqualTo(a.get(k));
        assertThat(b.get("l2.bn.running_var")).isNotEqualTo(new float[16]);
    }

    @Test
    void loopGraphCarriesParametersAndStateAndStacksPerStepInputs() {
        CompiledModel m = TrainStepCompiler.compile(NnTrainingTest.mlp(), TensorShape.of(30), 2, TrainStepCompiler.Options.TRAINING);
        var g = TrainLoopGraph.of(m).getGraph();
        List<String> inputs = g.getInputList().stream().map(v -> v.getName()).toList();
        assertThat(inputs).contains("x.stacked", "y.stacked", "lr.stacked", "step", "out.W", "out.W.m", "out.W.v");
        assertThat(g.getNodeList()).anySatisfy(n -> assertThat(n.getOpType()).isEqualTo("Loop"));
        assertThat(g.getOutputList().stream().map(v -> v.getName()).toList()).contains("losses", "out.W.next");
    }

    @Test
    void stepsPerCallBelowOneIsRejected() {
        assertThatThrownBy(() -> config(1, 16, 1, 0)).hasMessageContaining("steps per call must be >= 1, got 0");
    }
}

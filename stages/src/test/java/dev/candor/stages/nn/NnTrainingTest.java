package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.gpu.session.Device;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.InferenceGraph;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.nn.train.EarlyStopping;
import dev.candor.stages.nn.train.EpochMetrics;
import dev.candor.stages.nn.train.NnData;
import dev.candor.stages.nn.train.Schedule;
import dev.candor.stages.nn.train.TrainConfig;
import dev.candor.stages.nn.train.Trainer;
import dev.candor.stages.nn.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The MLP learns breast cancer through the compiled graphs, and the same seed gives the same weights. */
class NnTrainingTest {
    static final Path DATA = Path.of("src/test/resources/data/breast_cancer_wisconsin.csv");

    /** Train 60 %, validation 20 %, test 20 %, standardized with the training rows' statistics. */
    record Split(NnData train, NnData val, float[] testX, int[] testY) { }

    static Split breastCancer(long splitSeed) {
        CsvTable t = CsvTable.read(DATA, s -> s.equals("malignant") ? 1 : 0);
        int[] order = t.shuffled(splitSeed);
        int n = order.length;
        int[] test = CsvTable.range(order, 0, n / 5);
        int[] val = CsvTable.range(order, n / 5, 2 * n / 5);
        int[] train = CsvTable.range(order, 2 * n / 5, n);
        int d = t.x()[0].length;
        return new Split(NnData.classes(t.standardized(train, train), t.labelsOf(train), d, 2),
                NnData.classes(t.standardized(val, train), t.labelsOf(val), d, 2),
                t.standardized(test, train), t.labelsOf(test));
    }

    static ModelSpec mlp() {
        return ModelSpec.of(LayerParser.parseAll(List.of("dense 64 relu", "dropout 0.5")),
                LossSpec.of(LossSpec.Kind.CROSS_ENTROPY),
                OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.001).withWeightDecay(1e-4));
    }

    /**
     * 569 rows give a test set of 113, where one row is 0.9 %: a single split's accuracy swings by +-2 %, so the
     * bar is on five seeded splits: mean >= 0.97 and none below 0.95.
     */
    @Test
    void mlpReachesNinetySevenPercentOnBreastCancerThroughTheInferenceGraph() {
        CompiledModel m = TrainStepCompiler.compile(mlp(), TensorShape.of(30), 2, TrainStepCompiler.Options.TRAINING);
        TrainConfig cfg = new TrainConfig(100, 32, 7, new Schedule(Schedule.Kind.COSINE, 1, 1, 1e-4, 2),
                Optional.of(new EarlyStopping("val_loss", 15, 0)), Device.CPU, 1);
        double sum = 0;
        double worst = 1;
        for (long splitSeed = 1; splitSeed <= 5; splitSeed++) {
            Split s = breastCancer(splitSeed);
            List<EpochMetrics> seen = new ArrayList<>();
            TrainingResult r = Trainer.train(m, s.train(), s.val(), cfg, seen::add);
            assertThat(seen).isEqualTo(r.history());
            assertThat(r.history().get(r.bestEpoch()).valLoss()).isLessThan(r.history().get(0).valLoss());
            assertThat(r.history().get(0).lr()).as("warm-up starts low").isLessThan(0.001);
            assertThat(r.device()).isEqualTo("cpu");

            double[] probabilities = predict(m, r.values(), s.testX(), s.testY().length);
            int correct = 0;
            for (int i = 0; i < s.testY().length; i++) {
                int predicted = probabilities[2 * i + 1] > probabilities[2 * i] ? 1 : 0;
                if (predicted == s.testY()[i]) correct++;
                assertThat(probabilities[2 * i] + probabilities[2 * i + 1]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
            double accuracy = correct / (double) s.testY().length;
            sum += accuracy;
            worst = Math.min(worst, accuracy);
            EpochMetrics best = r.history().get(r.bestEpoch());
            System.out.printf("breast cancer MLP split %d: %d epochs run, best epoch %d (val loss %.4f, val acc %.4f),"
                            + " test accuracy %.4f (%d/%d), %.0f train steps/s (batch 32, 1 thread, %s)%n", splitSeed,
                    r.history().size(), r.bestEpoch(), best.valLoss(), best.valAccuracy(), accuracy, correct,
                    s.testY().length, r.stepsPerSecond(), r.device());
        }
        System.out.printf("breast cancer MLP: mean test accuracy %.4f, worst %.4f%n", sum / 5, worst);
        assertThat(sum / 5).isGreaterThanOrEqualTo(0.97);
        assertThat(worst).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndMetrics() {
        Split s = breastCancer(2024);
        CompiledModel m = TrainStepCompiler.compile(mlp(), TensorShape.of(30), 2, TrainStepCompiler.Options.TRAINING);
        TrainConfig cfg = new TrainConfig(4, 16, 99, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1);
        TrainingResult a = Trainer.train(m, s.train(), s.val(), cfg, e -> { });
        TrainingResult b = Trainer.train(m, s.train(), s.val(), cfg, e -> { });
        assertThat(b.history()).isEqualTo(a.history());
        assertThat(b.values().keySet()).isEqualTo(a.values().keySet());
        for (String k : a.values().keySet()) assertThat(b.values().get(k)).as(k).isEqualTo(a.values().get(k));
        TrainingResult other = Trainer.train(m, s.train(), s.val(),
                new TrainConfig(4, 16, 100, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1), e -> { });
        assertThat(other.values().get("out.W")).as("another seed, other weights").isNotEqualTo(a.values().get("out.W"));
    }

    /** Batch norm trains on batch statistics and predicts from its running statistics, which training moved. */
    @Test
    void batchNormModelTrainsAndPredictsFromRunningStatistics() {
        Split s = breastCancer(3);
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(List.of("dense 32", "batchnorm", "relu")),
                LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), OptimizerSpec.defaults(OptimizerSpec.Kind.MOMENTUM, 0.01));
        CompiledModel m = TrainStepCompiler.compile(spec, TensorShape.of(30), 2, TrainStepCompiler.Options.TRAINING);
        TrainingResult r = Trainer.train(m, s.train(), s.val(),
                new TrainConfig(10, 32, 1, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1), e -> { });
        assertThat(r.values().get("l2.bn.running_var")).isNotEqualTo(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        double[] p = predict(m, r.values(), s.testX(), s.testY().length);
        int correct = 0;
        for (int i = 0; i < s.testY().length; i++) if ((p[2 * i + 1] > p[2 * i] ? 1 : 0) == s.testY()[i]) correct++;
        System.out.printf("breast cancer batch-norm MLP: val acc %.4f, test accuracy %.4f%n",
                r.history().get(r.history().size() - 1).valAccuracy(), correct / (double) s.testY().length);
        assertThat(correct / (double) s.testY().length).isGreaterThan(0.93);
    }

    /**
     * Found by the fuzzer (issue 9): an epoch whose last batch holds one row gave a dense batch norm one value per
     * feature, whose unbiased variance v·M/(M−1) is 0/0: the running variance became NaN, and so did every validation
     * loss and prediction after it (the stage failed on a NaN metric). 342 train rows in batches of 11 end each epoch
     * with one row; a batch of one row leaves the running variance as it was.
     */
    @Test
    void aLastBatchOfOneRowLeavesBatchNormsRunningVarianceFinite() {
        Split s = breastCancer(3);
        assertThat(s.train().rows() % 11).as("the last batch of each epoch holds one row").isEqualTo(1);
        ModelSpec spec = ModelSpec.of(LayerParser.parseAll(List.of("dense 8", "batchnorm", "relu")),
                LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), OptimizerSpec.defaults(OptimizerSpec.Kind.MOMENTUM, 0.01));
        CompiledModel m = TrainStepCompiler.compile(spec, TensorShape.of(30), 2, TrainStepCompiler.Options.TRAINING);
        TrainingResult r = Trainer.train(m, s.train(), s.val(),
                new TrainConfig(3, 11, 1, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1), e -> { });
        for (float v : r.values().get("l2.bn.running_var")) assertThat(v).isFinite().isPositive();
        assertThat(r.history()).allSatisfy(e -> assertThat(e.valLoss()).isFinite());
        double[] p = predict(m, r.values(), s.testX(), s.testY().length);
        for (double v : p) assertThat(v).isFinite();

        // A batch of one row is the only one that keeps the running variance: with every batch of two rows or more
        // it moves (batches of 2 end 342 rows exactly).
        TrainingResult two = Trainer.train(m, s.train(), s.val(),
                new TrainConfig(1, 2, 1, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1), e -> { });
        for (float v : two.values().get("l2.bn.running_var")) assertThat(v).isFinite().isNotEqualTo(1f);
    }

    /** Runs the exported inference graph (float32) and returns its probabilities output. */
    static double[] predict(CompiledModel m, Map<String, float[]> values, float[] x, int rows) {
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) xd[i] = x[i];
        try (GraphRunner g = new GraphRunner(InferenceGraph.build(m, values), false)) {
            return g.run(Map.of(GraphNames.INFER_INPUT, new GraphRunner.Input(xd, new long[] {rows, m.input().size()})))
                    .get(GraphNames.PROBABILITIES);
        }
    }
}

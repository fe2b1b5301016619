package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.gpu.session.Device;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.Param;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.nn.train.NnData;
import dev.candor.stages.nn.train.Schedule;
import dev.candor.stages.nn.train.TrainConfig;
import dev.candor.stages.nn.train.Trainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Example weights in the train step: the batch loss is sum(w_i l_i) / sum(w_i). Checked against finite
 * differences of the loss, and against duplicated rows. float64.
 */
class ExampleWeightsNnTest {
    static ModelSpec spec(LossSpec loss) {
        return ModelSpec.of(LayerParser.parseAll(List.of("dense 6 tanh", "dense 4 relu")), loss,
                OptimizerSpec.defaults(OptimizerSpec.Kind.SGD, 0.1)).withRegularization(1e-3, 1e-3);
    }

    static List<LossSpec> losses() {
        return List.of(LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), new LossSpec(LossSpec.Kind.CROSS_ENTROPY, List.of(1.0, 2.5, 0.5)),
                LossSpec.of(LossSpec.Kind.BINARY_CROSS_ENTROPY), LossSpec.of(LossSpec.Kind.MSE), LossSpec.of(LossSpec.Kind.HINGE));
    }

    static int outputs(LossSpec loss) {
        return loss.kind() == LossSpec.Kind.BINARY_CROSS_ENTROPY ? 1 : 3;
    }

    @Test
    void weightedGradientsMatchFiniteDifferencesOfTheWeightedLoss() {
        for (LossSpec loss : losses()) {
            CompiledModel m = TrainStepCompiler.compile(spec(loss), TensorShape.of(4), outputs(loss),
                    new TrainStepCompiler.Options(true, true).withExampleWeights(true));
            Map<String, GraphRunner.Input> in = GradientCheck.randomInputs(m, 6, 17);
            in.put(GraphNames.WEIGHTS, new GraphRunner.Input(new double[] {0.5, 2, 0, 1.25, 3, 1}, new long[] {6, 1}));
            try (GraphRunner g = new GraphRunner(m.trainStep(), true)) {
                Map<String, double[]> out = g.run(in);
                Map<String, double[]> fd = GradientCheck.numeric(g, m, in, 1e-6);
                double worst = 0;
                for (Param p : m.params()) {
                    double[] a = out.get(GraphNames.grad(p.name()));
                    double[] f = fd.get(p.name());
                    for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - f[i]) / Math.max(1e-6, Math.abs(f[i])));
                }
                System.out.printf("example weights %-40s max rel err vs finite differences %.2e%n", loss, worst);
                assertThat(worst).as(loss.toString()).isLessThan(1e-5);
            }
        }
    }

    /** Rows 0 and 2 weigh 2 in a batch of 4; the same rows written twice with weight 1 give the same gradient. */
    @Test
    void integerWeightTwoEqualsDuplicatingTheRow() {
        for (LossSpec loss : losses()) {
            int k = outputs(loss);
            CompiledModel m = TrainStepCompiler.compile(spec(loss), TensorShape.of(4), k,
                    new TrainStepCompiler.Options(true, true).withExampleWeights(true));
            Map<String, GraphRunner.Input> in = GradientCheck.randomInputs(m, 4, 23);
            in.put(GraphNames.WEIGHTS, new GraphRunner.Input(new double[] {2, 1, 2, 1}, new long[] {4, 1}));
            int[] rows = {0, 1, 2, 3, 0, 2};
            Map<String, GraphRunner.Input> dup = new LinkedHashMap<>(in);
            dup.put(GraphNames.X, pick(in.get(GraphNames.X), rows));
            dup.put(GraphNames.Y, pick(in.get(GraphNames.Y), rows));
            dup.put(GraphNames.WEIGHTS, new GraphRunner.Input(new double[] {1, 1, 1, 1, 1, 1}, new long[] {6, 1}));
            try (GraphRunner g = new GraphRunner(m.trainStep(), true)) {
                Map<String, double[]> a = g.run(in);
                Map<String, double[]> b = g.run(dup);
                assertThat(a.get(GraphNames.LOSS)[0]).isCloseTo(b.get(GraphNames.LOSS)[0], org.assertj.core.data.Offset.offset(1e-14));
                for (Param p : m.params()) {
                    double[] ga = a.get(GraphNames.grad(p.name()));
                    double[] gb = b.get(GraphNames.grad(p.name()));
                    for (int i = 0; i < ga.length; i++) {
                        assertThat(ga[i]).as(loss + " " + p.name()).isCloseTo(gb[i], org.assertj.core.data.Offset.offset(1e-14));
                    }
                }
            }
        }
    }

    static GraphRunner.Input pick(GraphRunner.Input t, int[] rows) {
        int width = t.values().length / (int) t.dims()[0];
        double[] v = new double[rows.length * width];
        for (int i = 0; i < rows.length; i++) System.arraycopy(t.values(), rows[i] * width, v, i * width, width);
        long[] dims = t.dims().clone();
        dims[0] = rows.length;
        return new GraphRunner.Input(v, dims);
    }

    @Test
    void weightedRowsNeedAModelCompiledWithWeights() {
        CompiledModel m = TrainStepCompiler.compile(spec(LossSpec.of(LossSpec.Kind.CROSS_ENTROPY)), TensorShape.of(4), 3,
                TrainStepCompiler.Options.TRAINING);
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[40];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        NnData data = NnData.classes(x, new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, 4, 3);
        float[] w = new float[10];
        java.util.Arrays.fill(w, 2f);
        TrainConfig cfg = new TrainConfig(1, 4, 1, Schedule.CONSTANT, Optional.empty(), Device.CPU, 1);
        assertThatThrownBy(() -> Trainer.train(m, data.withWeights(w), data, cfg, e -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withExampleWeights");
        w[3] = -1;
        assertThatThrownBy(() -> data.withWeights(w)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 3").hasMessageContaining(">= 0");
    }
}

package dev.candor.stages.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.DpSgd;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.Param;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LayerParser;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DP-SGD's compiled clipping (Abadi et al. 2016) against an independent reference: each example's gradient from
 * the plain train step run on that example alone (a batch of 1, whose mean loss is the example's loss; the plain
 * graph is itself checked against finite differences in {@link GradientCheckNnTest}), clipped in Java. float64.
 */
class DpSgdGraphNnTest {
    static final double CLIP = 0.5;
    /** For the batch: between the gradient norms of small and large examples, so both kinds occur. */
    static final double BATCH_CLIP = 1.5;

    static ModelSpec spec(LossSpec.Kind loss) {
        return ModelSpec.of(LayerParser.parseAll(List.of("dense 7 tanh", "dropout 0.3", "dense 5 leaky_relu")),
                LossSpec.of(loss), OptimizerSpec.defaults(OptimizerSpec.Kind.SGD, 0.1));
    }

    static int outputs(LossSpec.Kind loss) {
        return loss == LossSpec.Kind.BINARY_CROSS_ENTROPY ? 1 : 3;
    }

    /** The plain step's gradient for row {@code i} of {@code in} alone, times {@code weight}. */
    static Map<String, double[]> perExample(GraphRunner plain, CompiledModel m, Map<String, GraphRunner.Input> in, int i,
                                            double weight) {
        Map<String, GraphRunner.Input> one = new LinkedHashMap<>(in);
        one.put(GraphNames.X, row(in.get(GraphNames.X), i));
        one.put(GraphNames.Y, row(in.get(GraphNames.Y), i));
        for (CompiledModel.MaskSlot s : m.masks()) one.put(s.name(), row(in.get(s.name()), i));
        one.remove(GraphNames.WEIGHTS);
        for (Param p : m.params()) one.remove(GraphNames.noise(p.name()));
        Map<String, double[]> out = plain.run(one);
        Map<String, double[]> g = new LinkedHashMap<>();
        for (Param p : m.params()) {
            double[] v = out.get(GraphNames.grad(p.name())).clone();
            for (int k = 0; k < v.length; k++) v[k] *= weight;
            g.put(p.name(), v);
        }
        return g;
    }

    static GraphRunner.Input row(GraphRunner.Input t, int i) {
        int width = t.values().length / (int) t.dims()[0];
        double[] v = java.util.Arrays.copyOfRange(t.values(), i * width, (i + 1) * width);
        long[] dims = t.dims().clone();
        dims[0] = 1;
        return new GraphRunner.Input(v, dims);
    }

    static double norm(Map<String, double[]> g) {
        double s = 0;
        for (double[] v : g.values()) for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    static Map<String, GraphRunner.Input> inputs(CompiledModel dp, int batch, long seed, double xScale, double[] weights) {
        Map<String, GraphRunner.Input> in = GradientCheck.randomInputs(dp, batch, seed);
        double[] x = in.get(GraphNames.X).values();
        SplittableRandom r = new SplittableRandom(seed + 1);
        // rows at very different scales, so some are clipped and some are not
        for (int i = 0; i < batch; i++) {
            double s = xScale * Math.pow(10, r.nextDouble() * 3 - 2);
            for (int k = 0; k < dp.input().size(); k++) x[i * dp.input().size() + k] *= s;
        }
        in.put(GraphNames.WEIGHTS, new GraphRunner.Input(weights, new long[] {batch, 1}));
        for (Param p : dp.params()) in.put(GraphNames.noise(p.name()), new GraphRunner.Input(new double[p.size()], p.dims()));
        return in;
    }

    @Test
    void aSingleLargeExampleIsClippedToExactlyTheClipNorm() {
        ModelSpec spec = spec(LossSpec.Kind.CROSS_ENTROPY);
        CompiledModel dp = TrainStepCompiler.compile(spec, TensorShape.of(4), 3,
                new TrainStepCompiler.Options(true, true).withPrivacy(new DpSgd(CLIP, 1)));
        CompiledModel plain = TrainStepCompiler.compile(spec, TensorShape.of(4), 3, new TrainStepCompiler.Options(true, true));
        Map<String, GraphRunner.Input> in = inputs(dp, 1, 5, 0, new double[] {1});
        double[] x = in.get(GraphNames.X).values();
        for (int k = 0; k < x.length; k++) x[k] = 40 * (k % 2 == 0 ? 1 : -1);
        try (GraphRunner d = new GraphRunner(dp.trainStep(), true); GraphRunner p = new GraphRunner(plain.trainStep(), true)) {
            double raw = norm(perExample(p, plain, in, 0, 1));
            Map<String, double[]> out = d.run(in);
            Map<String, double[]> clipped = new LinkedHashMap<>();
            for (Param q : dp.params()) clipped.put(q.name(), out.get(GraphNames.grad(q.name())));
            System.out.printf("DP-SGD one example: raw gradient norm %.4f, clipped %.15f (clip %.1f)%n", raw, norm(clipped), CLIP);
            assertThat(raw).as("the example is large enough to be clipped").isGreaterThan(2 * CLIP);
            assertThat(norm(clipped)).isLessThanOrEqualTo(CLIP * (1 + 1e-12)).isCloseTo(CLIP, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(out.get(GraphNames.CLIPPED_NORMS)[0]).isCloseTo(CLIP, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /**
     * For every per-example-decomposable loss, with example weights and dropout: the DP step's gradient (noise 0,
     * divisor 1) equals the sum over examples of each example's own weighted gradient clipped to C, and every
     * example's clipped norm is at most C. Rows come at scales 10^-2..10^1 so that some are clipped and some are not.
     */
    @Test
    void theBatchGradientIsTheSumOfIndividuallyClippedPerExampleGradients() {
        for (LossSpec.Kind loss : LossSpec.Kind.values()) {
            ModelSpec spec = spec(loss);
            int k = outputs(loss);
            CompiledModel dp = TrainStepCompiler.compile(spec, TensorShape.of(4), k,
                    new TrainStepCompiler.Options(true, true).withPrivacy(new DpSgd(BATCH_CLIP, 1)));
            CompiledModel plain = TrainStepCompiler.compile(spec, TensorShape.of(4), k, new TrainStepCompiler.Options(true, true));
            int batch = 9;
            double[] w = new double[batch];
            for (int i = 0; i < batch; i++) w[i] = i == 3 ? 0 : 0.5 + 0.25 * i;
            Map<String, GraphRunner.Input> in = inputs(dp, batch, 11 + loss.ordinal(), 1, w);
            try (GraphRunner d = new GraphRunner(dp.trainStep(), true); GraphRunner p = new GraphRunner(plain.trainStep(), true)) {
                Map<String, double[]> out = d.run(in);
                Map<String, double[]> expected = new LinkedHashMap<>();
                int clippedCount = 0;
                for (int i = 0; i < batch; i++) {
                    Map<String, double[]> g = perExample(p, plain, in, i, w[i]);
                    double n = norm(g);
                    double c = Math.min(1, BATCH_CLIP / Math.max(n, 1e-30));
                    if (c < 1) clippedCount++;
                    assertThat(out.get(GraphNames.CLIPPED_NORMS)[i]).as(loss + " example " + i + " clipped norm")
                            .isLessThanOrEqualTo(BATCH_CLIP * (1 + 1e-12)).isCloseTo(Math.min(n, BATCH_CLIP), org.assertj.core.data.Offset.offset(1e-10));
                    for (var e : g.entrySet()) {
                        double[] acc = expected.computeIfAbsent(e.getKey(), key -> new double[e.getValue().length]);
                        for (int j = 0; j < acc.length; j++) acc[j] += c * e.getValue()[j];
                    }
                }
                assertThat(clippedCount).as(loss + ": some examples clipped, some not").isBetween(1, batch - 2);
                double worst = 0;
                for (Param q : dp.params()) {
                    double[] a = out.get(GraphNames.grad(q.name()));
                    double[] e = expected.get(q.name());
                    for (int j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j] - e[j]));
                }
                System.out.printf("DP-SGD %-22s batch %d, %d clipped: max |compiled - sum of clipped per-example| %.2e%n",
                        loss, batch, clippedCount, worst);
                assertThat(worst).as(loss.toString()).isLessThan(1e-12);
            }
        }
    }

    @Test
    void noiseIsAddedToTheClippedSumWhichIsDividedByTheExpectedBatch() {
        ModelSpec spec = spec(LossSpec.Kind.CROSS_ENTROPY);
        CompiledModel sum = TrainStepCompiler.compile(spec, TensorShape.of(4), 3,
                new TrainStepCompiler.Options(true, true).withPrivacy(new DpSgd(CLIP, 1)));
        CompiledModel mean = TrainStepCompiler.compile(spec, TensorShape.of(4), 3,
                new TrainStepCompiler.Options(true, true).withPrivacy(new DpSgd(CLIP, 4)));
        Map<String, GraphRunner.Input> in = inputs(sum, 5, 3, 1, new double[] {1, 1, 1, 1, 1});
        Map<String, GraphRunner.Input> noisy = new LinkedHashMap<>(in);
        SplittableRandom r = new SplittableRandom(9);
        for (Param p : sum.params()) noisy.put(GraphNames.noise(p.name()), new GraphRunner.Input(GradientCheck.gauss(r, p.size(), 2), p.dims()));
        try (GraphRunner s = new GraphRunner(sum.trainStep(), true); GraphRunner m = new GraphRunner(mean.trainStep(), true)) {
            Map<String, double[]> clean = s.run(in);
            Map<String, double[]> out = m.run(noisy);
            for (Param p : sum.params()) {
                double[] a = out.get(GraphNames.grad(p.name()));
                double[] c = clean.get(GraphNames.grad(p.name()));
                double[] n = noisy.get(GraphNames.noise(p.name())).values();
                for (int j = 0; j < a.length; j++) {
                    assertThat(a[j]).as(p.name()).isCloseTo((c[j] + n[j]) / 4, org.assertj.core.data.Offset.offset(1e-13));
                }
            }
        }
    }

    @Test
    void layersWhoseExamplesCannotBeClippedAloneAreRejectedByName() {
        ModelSpec bn = ModelSpec.of(LayerParser.parseAll(List.of("dense 8", "batchnorm", "relu")),
                LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), OptimizerSpec.defaults(OptimizerSpec.Kind.SGD, 0.1));
        assertThatThrownBy(() -> TrainStepCompiler.compile(bn, TensorShape.of(4), 2,
                TrainStepCompiler.Options.TRAINING.withPrivacy(new DpSgd(1, 8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l2.bn").hasMessageContaining("batch norm");
        ModelSpec conv = ModelSpec.of(LayerParser.parseAll(List.of("conv 2 3x3 relu", "flatten")),
                LossSpec.of(LossSpec.Kind.CROSS_ENTROPY), OptimizerSpec.defaults(OptimizerSpec.Kind.SGD, 0.1));
        assertThatThrownBy(() -> TrainStepCompiler.compile(conv, TensorShape.of(1, 4, 4), 2,
                TrainStepCompiler.Options.TRAINING.withPrivacy(new DpSgd(1, 8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l1.conv").hasMessageContaining("convolutions");
    }
}

package dev.candor.stages.nn;

import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.Param;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Compares a compiled train step's gradients (exposed as outputs) with central finite differences of its
 * objective output, on random parameters and a random batch. Learning rate 0, so the step changes nothing.
 */
final class GradientCheck {
    /** Worst errors over the checked components: absolute, and relative to max(|analytic|, |numeric|, floor). */
    record Errors(double maxAbs, double maxRel, double normRel, int checked) { }

    private GradientCheck() {
    }

    static Map<String, GraphRunner.Input> randomInputs(CompiledModel m, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, GraphRunner.Input> in = new LinkedHashMap<>();
        TensorShape input = m.input();
        in.put(GraphNames.X, new GraphRunner.Input(gauss(r, batch * input.size(), 1), new long[] {batch, input.size()}));
        in.put(GraphNames.Y, new GraphRunner.Input(targets(r, m.spec().loss().kind(), batch, m.outputs()),
                new long[] {batch, m.outputs()}));
        in.put(GraphNames.LR, new GraphRunner.Input(new double[] {0}, new long[0]));
        in.put(GraphNames.STEP, new GraphRunner.Input(new double[] {1}, new long[0]));
        for (Param p : m.params()) {
            double[] v = gauss(r, p.size(), 0.5);
            if (p.init() == Param.Init.ONES) for (int i = 0; i < v.length; i++) v[i] = 1 + 0.3 * v[i];
            in.put(p.name(), new GraphRunner.Input(v, p.dims()));
        }
        for (Param p : m.buffers()) {
            double[] v = new double[p.size()];
            if (p.init() == Param.Init.ONES) java.util.Arrays.fill(v, 1);
            in.put(p.name(), new GraphRunner.Input(v, p.dims()));
        }
        for (CompiledModel.StateSlot s : m.state()) {
            in.put(s.name(), new GraphRunner.Input(new double[s.param().size()], s.param().dims()));
        }
        for (CompiledModel.MaskSlot mask : m.masks()) {
            double[] v = new double[batch * mask.shape().size()];
            for (int i = 0; i < v.length; i++) v[i] = r.nextDouble() < mask.p() ? 0 : 1 / (1 - mask.p());
            in.put(mask.name(), new GraphRunner.Input(v, mask.shape().withBatch(batch)));
        }
        return in;
    }

    static double[] targets(SplittableRandom r, LossSpec.Kind kind, int batch, int outputs) {
        double[] y = new double[batch * outputs];
        for (int i = 0; i < batch; i++) {
            switch (kind) {
                case CROSS_ENTROPY, HINGE -> y[i * outputs + r.nextInt(outputs)] = 1;
                case BINARY_CROSS_ENTROPY -> y[i] = r.nextInt(2);
                case MSE -> {
                    for (int k = 0; k < outputs; k++) y[i * outputs + k] = r.nextGaussian();
                }
            }
        }
        return y;
    }

    static double[] gauss(SplittableRandom r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * scale;
        return v;
    }

    /** The full finite-difference gradient of the objective for every parameter. */
    static Map<String, double[]> numeric(GraphRunner runner, CompiledModel m, Map<String, GraphRunner.Input> in, double h) {
        Map<String, double[]> out = new HashMap<>();
        for (Param p : m.params()) {
            double[] v = in.get(p.name()).values();
            double[] fd = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                double keep = v[i];
                v[i] = keep + h;
                double plus = runner.run(in).get(GraphNames.OBJECTIVE)[0];
                v[i] = keep - h;
                double minus = runner.run(in).get(GraphNames.OBJECTIVE)[0];
                v[i] = keep;
                fd[i] = (plus - minus) / (2 * h);
            }
            out.put(p.name(), fd);
        }
        return out;
    }

    /** Compiles, runs and compares; prints one line with the worst errors. */
    static Errors check(String label, ModelSpec spec, TensorShape input, int outputs, boolean dbl, int batch, double h,
                        double floor) {
        CompiledModel m = TrainStepCompiler.compile(spec, input, outputs, new TrainStepCompiler.Options(dbl, true));
        Map<String, GraphRunner.Input> in = randomInputs(m, batch, 42);
        try (GraphRunner runner = new GraphRunner(m.trainStep(), dbl)) {
            Map<String, double[]> base = runner.run(in);
            Map<String, double[]> fd = numeric(runner, m, in, h);
            double maxAbs = 0;
            double maxRel = 0;
            int n = 0;
            double diff2 = 0;
            double fd2 = 0;
            for (Param p : m.params()) {
                double[] a = base.get(GraphNames.grad(p.name()));
                double[] f = fd.get(p.name());
                for (int i = 0; i < a.length; i++) {
                    double abs = Math.abs(a[i] - f[i]);
                    maxAbs = Math.max(maxAbs, abs);
                    maxRel = Math.max(maxRel, abs / Math.max(floor, Math.max(Math.abs(a[i]), Math.abs(f[i]))));
                    diff2 += (a[i] - f[i]) * (a[i] - f[i]);
                    fd2 += f[i] * f[i];
                    n++;
                }
            }
            System.out.printf("gradient check %-40s %s  components %4d  max abs err %.2e  max rel err %.2e  ||a-fd||/||fd|| %.2e%n",
                    label, dbl ? "float64" : "float32", n, maxAbs, maxRel, Math.sqrt(diff2 / fd2));
            return new Errors(maxAbs, maxRel, Math.sqrt(diff2 / fd2), n);
        }
    }
}

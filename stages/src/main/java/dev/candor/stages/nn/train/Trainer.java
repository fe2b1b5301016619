package dev.candor.stages.nn.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.candor.gpu.session.OpenSession;
import dev.candor.gpu.session.OrtSessions;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.Param;
import dev.candor.stages.nn.model.LossSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a {@link CompiledModel} in ONNX Runtime through a {@link TrainStep}: seeded initialization, a seeded
 * shuffle per epoch, mini-batches, the learning-rate schedule, per-epoch validation and early stopping with the best
 * weights kept.
 *
 * <p>Randomness: one {@link SplittableRandom} from the seed is split into initialization, shuffling (or, under
 * DP-SGD, batch sampling), dropout and DP-noise streams, so the same seed gives the same weights bit for bit on
 * the same execution provider. Dropout masks and DP-SGD noise are drawn in Java per step and fed as inputs
 * (ONNX's random operators keep their state inside the session, which would tie results to session lifetime and
 * execution provider).
 *
 * <p><b>DP-SGD</b> (Abadi et al. 2016, "Deep Learning with Differential Privacy"): with
 * {@link TrainConfig#privacy()} each step's batch is a Poisson sample, every row joining independently with
 * probability q = batch / rows, so batch sizes vary (the privacy analysis of the sampled Gaussian mechanism,
 * Mironov 2017 "Rényi Differential Privacy" and Mironov, Talwar, Zhang 2019, assumes exactly this sampling); an
 * epoch is ⌈rows / batch⌉ such steps. An empty sample still takes a step, on one stand-in row of weight 0, so the
 * update is pure noise as the analysis assumes. Under early stopping the weights of the best epoch are kept, but
 * every step actually run was computed on the data: {@link TrainingResult#steps()} counts them all, and the
 * privacy spent must be accounted on that count, not on the kept epoch's.
 */
public final class Trainer {
    private Trainer() {
    }

    public static TrainingResult train(CompiledModel model, NnData train, NnData validation, TrainConfig config,
                                       Consumer<EpochMetrics> onEpoch) {
        if (model.doublePrecision()) throw new IllegalArgumentException("the trainer runs float32 graphs; compile with doublePrecision=false");
        checkData(model, train, "training");
        checkData(model, validation, "validation");
        if (train.weighted() && !model.weighted()) {
            throw new IllegalArgumentException("the training rows have example weights but the model was compiled without"
                    + " them; compile with Options.withExampleWeights(true)");
        }
        if (config.privacy().isPresent() != model.privacy().isPresent()
                || config.privacy().isPresent() && config.privacy().get().clip() != model.privacy().get().clip()) {
            throw new IllegalArgumentException("DP-SGD settings disagree: the model was compiled with " + model.privacy()
                    + " and training asks for " + config.privacy() + "; compile and train with the same clip norm");
        }
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom initRandom = root.split();
        SplittableRandom shuffleRandom = root.split();
        SplittableRandom dropoutRandom = root.split();
        SplittableRandom noiseRandom = root.split();

        SessionSettings settings = new SessionSettings(config.device(), config.threads(), OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // DP-SGD's Poisson batches vary in size from step to step, so they cannot be stacked: one step per call.
        boolean looped = config.stepsPerCall() > 1 && config.privacy().isEmpty();
        try (TrainStep step = TrainStep.open(model, settings, initRandom, looped);
             OpenSession eval = OrtSessions.open(model.eval().toByteArray(), settings.withDevice(config.device()))) {
            int rows = train.rows();
            int batchSize = Math.min(config.batch(), rows);
            int stepsPerEpoch = (rows + batchSize - 1) / batchSize;
            int fullSteps = rows / batchSize;
            double q = batchSize / (double) rows;
            TrainConfig.DpNoise dp = config.privacy().orElse(null);
            int[] order = new int[rows];
            for (int i = 0; i < order.length; i++) order[i] = i;
            int[] sample = new int[rows];
            List<EpochMetrics> history = new ArrayList<>();
            Map<String, float[]> best = step.values();
            int bestEpoch = -1;
            double bestValue = Double.NaN;
            int sinceBest = 0;
            long stepNanos = 0;
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                if (dp == null) shuffle(order, shuffleRandom);
                double lossSum = 0;
                long seen = 0;
                double rate = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int k = looped ? Math.min(config.stepsPerCall(), fullSteps - s) : 0;
                    if (k >= 2) {
                        // K full batches in one call; a last group of one full batch, and a last partial batch,
                        // run as single steps. Inputs are drawn in the single-step order, so results are the same.
                        StepGroup group = step.group(k, batchSize);
                        for (int j = 0; j < k; j++) {
                            group.fill(j, train, order, (s + j) * batchSize);
                            group.dropout(j, dropoutRandom);
                            rate = config.schedule().lr(model.spec().optimizer().lr(), epoch, s + j, stepsPerEpoch, config.epochs());
                            group.lr(j, rate);
                        }
                        long t0 = System.nanoTime();
                        step.run(group);
                        stepNanos += System.nanoTime() - t0;
                        for (int j = 0; j < k; j++) {
                            lossSum += group.loss(j) * (double) batchSize;
                            seen += batchSize;
                        }
                        s += k - 1;
                        continue;
                    }
                    TrainStep.Batch batch;
                    int n;
                    if (dp == null) {
                        int from = s * batchSize;
                        n = Math.min(batchSize, rows - from);
                        batch = step.batch(n);
                        batch.fill(train, order, from);
                    } else {
                        n = 0;
                        for (int i = 0; i < rows; i++) if (shuffleRandom.nextDouble() < q) sample[n++] = i;
                        batch = step.batch(Math.max(n, 1));
                        if (n > 0) {
                            batch.fill(train, sample, 0);
                        } else {
                            batch.fill(train, order, 0);
                            batch.weight(0, 0f);
                        }
                    }
                    batch.dropout(dropoutRandom);
                    if (dp != null) batch.noise(noiseRandom, dp.noiseMultiplier() * dp.clip());
                    rate = config.schedule().lr(model.spec().optimizer().lr(), epoch, s, stepsPerEpoch, config.epochs());
                    long t0 = System.nanoTime();
                    float loss = step.run(batch, rate);
                    stepNanos += System.nanoTime() - t0;
                    if (n > 0) {
                        lossSum += loss * (double) n;
                        seen += n;
                    }
                }
                double[] val = evaluate(eval, model, step, validation);
                EpochMetrics m = new EpochMetrics(epoch, seen == 0 ? Double.NaN : lossSum / seen, val[0], val[1], rate);
                history.add(m);
                onEpoch.accept(m);
                if (config.earlyStopping().isEmpty()) {
                    bestEpoch = epoch;
                    continue;
                }
                EarlyStopping es = config.earlyStopping().get();
                double v = es.value(m);
                if (bestEpoch < 0 || es.improves(v, bestValue)) {
                    bestValue = v;
                    bestEpoch = epoch;
                    best = step.values();
                    sinceBest = 0;
                } else if (++sinceBest >= es.patience()) {
                    break;
                }
            }
            Map<String, float[]> kept = config.earlyStopping().isEmpty() ? step.values() : best;
            return new TrainingResult(kept, history, bestEpoch, step.where(), step.steps() / (stepNanos / 1e9), step.steps());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed during validation: " + e.getMessage(), e);
        }
    }

    /** Loss and accuracy of the current weights on {@code data}, in eval mode, in batches of up to 1024 rows. */
    private static double[] evaluate(OpenSession eval, CompiledModel model, TrainStep values, NnData data)
            throws OrtException {
        double lossSum = 0;
        long correct = 0;
        int k = model.outputs();
        boolean binary = model.spec().loss().kind() == LossSpec.Kind.BINARY_CROSS_ENTROPY;
        for (int from = 0; from < data.rows(); from += 1024) {
            int n = Math.min(1024, data.rows() - from);
            float[] x = java.util.Arrays.copyOfRange(data.x(), from * data.inputs(), (from + n) * data.inputs());
            float[] y = java.util.Arrays.copyOfRange(data.y(), from * k, (from + n) * k);
            try (OnnxTensor xt = OnnxTensor.createTensor(OrtSessions.environment(), java.nio.FloatBuffer.wrap(x), new long[] {n, data.inputs()});
                 OnnxTensor yt = OnnxTensor.createTensor(OrtSessions.environment(), java.nio.FloatBuffer.wrap(y), new long[] {n, k})) {
                Map<String, OnnxTensorLike> in = new HashMap<>();
                in.put(GraphNames.X, xt);
                in.put(GraphNames.Y, yt);
                for (Param p : model.params()) in.put(p.name(), values.tensor(p.name()));
                for (Param p : model.buffers()) in.put(p.name(), values.tensor(p.name()));
                try (OrtSession.Result r = eval.session().run(in)) {
                    lossSum += ((OnnxTensor) r.get(GraphNames.LOSS).orElseThrow()).getFloatBuffer().get(0) * (double) n;
                    java.nio.FloatBuffer pred = ((OnnxTensor) r.get(GraphNames.PREDICTIONS).orElseThrow()).getFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        if (binary) {
                            if ((pred.get(i) >= 0.5f) == (y[i] >= 0.5f)) correct++;
                        } else if (argmax(pred, i * k, k) == argmax(java.nio.FloatBuffer.wrap(y), i * k, k)) {
                            correct++;
                        }
                    }
                }
            }
        }
        double accuracy = model.spec().loss().kind() == LossSpec.Kind.MSE ? Double.NaN : correct / (double) data.rows();
        return new double[] {lossSum / data.rows(), accuracy};
    }

    private static int argmax(java.nio.FloatBuffer v, int off, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) if (v.get(off + j) > v.get(off + best)) best = j;
        return best;
    }

    private static void shuffle(int[] order, SplittableRandom r) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static void checkData(CompiledModel model, NnData d, String what) {
        if (d.inputs() != model.input().size() || d.outputs() != model.outputs()) {
            throw new IllegalArgumentException("the " + what + " data has " + d.inputs() + " inputs and " + d.outputs()
                    + " outputs but the model was compiled for " + model.input().size() + " and " + model.outputs());
        }
    }
}

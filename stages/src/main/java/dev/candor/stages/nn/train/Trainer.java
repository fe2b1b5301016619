package dev.candor.stages.nn.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a {@link CompiledModel} in ONNX Runtime: seeded initialization, a seeded shuffle per epoch,
 * mini-batches, the learning-rate schedule, per-epoch validation and early stopping with the best weights kept.
 *
 * <p>Parameters, buffers and optimizer state live in two sets of direct-buffer tensors: each step reads one set
 * and writes the other as pinned outputs, then they swap, so nothing is allocated or copied in Java per step
 * (the Java API has no IoBinding). The batch and the dropout masks are direct buffers refilled in place.
 *
 * <p>Randomness: one {@link SplittableRandom} from the seed is split into initialization, shuffling and
 * dropout streams, so the same seed gives the same weights bit for bit on the same execution provider.
 * Dropout masks are drawn in Java per step and fed as inputs (ONNX's random operators keep their state inside
 * the session, which would tie results to session lifetime and execution provider).
 */
public final class Trainer {
    private Trainer() {
    }

    public static TrainingResult train(CompiledModel model, NnData train, NnData validation, TrainConfig config,
                                       Consumer<EpochMetrics> onEpoch) {
        if (model.doublePrecision()) throw new IllegalArgumentException("the trainer runs float32 graphs; compile with doublePrecision=false");
        checkData(model, train, "training");
        checkData(model, validation, "validation");
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom initRandom = root.split();
        SplittableRandom shuffleRandom = root.split();
        SplittableRandom dropoutRandom = root.split();

        SessionSettings settings = new SessionSettings(config.device(), config.threads(), OrtSession.SessionOptions.OptLevel.ALL_OPT);
        List<AutoCloseable> owned = new ArrayList<>();
        try (OpenSession step = OrtSessions.open(model.trainStep().toByteArray(), settings);
             OpenSession eval = OrtSessions.open(model.eval().toByteArray(), settings.withDevice(config.device()))) {
            // Two sets of every value the step carries forward; cur[0] is read, cur[1] written.
            List<String> carried = new ArrayList<>();
            Map<String, long[]> dims = new LinkedHashMap<>();
            Map<String, float[]> initial = new HashMap<>();
            for (Param p : model.params()) {
                carried.add(p.name());
                dims.put(p.name(), p.dims());
                initial.put(p.name(), Initializer.values(p, initRandom));
            }
            for (Param p : model.buffers()) {
                carried.add(p.name());
                dims.put(p.name(), p.dims());
                initial.put(p.name(), Initializer.values(p, initRandom));
            }
            for (CompiledModel.StateSlot s : model.state()) {
                carried.add(s.name());
                dims.put(s.name(), s.param().dims());
                initial.put(s.name(), new float[s.param().size()]);
            }
            Map<String, NativeTensor> a = new LinkedHashMap<>();
            Map<String, NativeTensor> b = new LinkedHashMap<>();
            for (String n : carried) {
                a.put(n, track(owned, new NativeTensor(dims.get(n))));
                b.put(n, track(owned, new NativeTensor(dims.get(n))));
                a.get(n).put(initial.get(n));
            }
            NativeTensor lr = track(owned, new NativeTensor());
            NativeTensor stepNo = track(owned, new NativeTensor());
            NativeTensor loss = track(owned, new NativeTensor());
            Batches full = track(owned, new Batches(model, Math.min(config.batch(), train.rows())));
            int rest = train.rows() % full.size;
            Batches last = rest == 0 ? null : track(owned, new Batches(model, rest));

            int stepsPerEpoch = (train.rows() + full.size - 1) / full.size;
            int[] order = new int[train.rows()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            List<EpochMetrics> history = new ArrayList<>();
            Map<String, float[]> best = snapshot(model, a);
            int bestEpoch = -1;
            double bestValue = Double.NaN;
            int sinceBest = 0;
            long stepNanos = 0;
            long steps = 0;
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                shuffle(order, shuffleRandom);
                double lossSum = 0;
                double rate = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int from = s * full.size;
                    Batches batch = from + full.size <= train.rows() ? full : last;
                    batch.fill(train, order, from, dropoutRandom);
                    rate = config.schedule().lr(model.spec().optimizer().lr(), epoch, s, stepsPerEpoch, config.epochs());
                    lr.buffer.put(0, (float) rate);
                    stepNo.buffer.put(0, (float) (steps + 1));
                    Map<String, OnnxTensorLike> inputs = new HashMap<>(batch.inputs());
                    inputs.put(GraphNames.LR, lr.tensor);
                    inputs.put(GraphNames.STEP, stepNo.tensor);
                    Map<String, OnnxValue> pinned = new HashMap<>();
                    pinned.put(GraphNames.LOSS, loss.tensor);
                    for (String n : carried) {
                        inputs.put(n, a.get(n).tensor);
                        pinned.put(GraphNames.next(n), b.get(n).tensor);
                    }
                    long t0 = System.nanoTime();
                    step.session().run(inputs, Set.of(), pinned).close();
                    stepNanos += System.nanoTime() - t0;
                    steps++;
                    Map<String, NativeTensor> swap = a;
                    a = b;
                    b = swap;
                    lossSum += loss.buffer.get(0) * (double) batch.size;
                }
                double[] val = evaluate(eval, model, a, validation);
                EpochMetrics m = new EpochMetrics(epoch, lossSum / train.rows(), val[0], val[1], rate);
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
                    best = snapshot(model, a);
                    sinceBest = 0;
                } else if (++sinceBest >= es.patience()) {
                    break;
                }
            }
            Map<String, float[]> kept = config.earlyStopping().isEmpty() ? snapshot(model, a) : best;
            return new TrainingResult(kept, history, bestEpoch, step.where(), steps / (stepNanos / 1e9));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed during a train step: " + e.getMessage(), e);
        } finally {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot release an ONNX Runtime tensor: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Loss and accuracy of the current weights on {@code data}, in eval mode, in batches of up to 1024 rows. */
    private static double[] evaluate(OpenSession eval, CompiledModel model, Map<String, NativeTensor> values,
                                     NnData data) throws OrtException {
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
                for (Param p : model.params()) in.put(p.name(), values.get(p.name()).tensor);
                for (Param p : model.buffers()) in.put(p.name(), values.get(p.name()).tensor);
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

    private static Map<String, float[]> snapshot(CompiledModel model, Map<String, NativeTensor> values) {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (Param p : model.params()) s.put(p.name(), values.get(p.name()).get());
        for (Param p : model.buffers()) s.put(p.name(), values.get(p.name()).get());
        return s;
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

    private static <T extends AutoCloseable> T track(List<AutoCloseable> owned, T t) {
        owned.add(t);
        return t;
    }

    /** Pre-allocated batch tensors of one batch size: x, y and the dropout masks. */
    private static final class Batches implements AutoCloseable {
        final int size;
        final NativeTensor x;
        final NativeTensor y;
        final List<CompiledModel.MaskSlot> slots;
        final List<NativeTensor> masks = new ArrayList<>();

        Batches(CompiledModel model, int size) {
            this.size = size;
            this.x = new NativeTensor(size, model.input().size());
            this.y = new NativeTensor(size, model.outputs());
            this.slots = model.masks();
            for (CompiledModel.MaskSlot m : slots) masks.add(new NativeTensor(m.shape().withBatch(size)));
        }

        void fill(NnData data, int[] order, int from, SplittableRandom dropout) {
            int in = data.inputs();
            int out = data.outputs();
            for (int i = 0; i < size; i++) {
                int row = order[from + i];
                x.buffer.put(i * in, data.x(), row * in, in);
                y.buffer.put(i * out, data.y(), row * out, out);
            }
            for (int m = 0; m < slots.size(); m++) {
                double p = slots.get(m).p();
                float keep = (float) (1 / (1 - p));
                java.nio.FloatBuffer buf = masks.get(m).buffer;
                for (int i = 0; i < buf.capacity(); i++) buf.put(i, dropout.nextDouble() < p ? 0f : keep);
            }
        }

        Map<String, OnnxTensorLike> inputs() {
            Map<String, OnnxTensorLike> in = new HashMap<>();
            in.put(GraphNames.X, x.tensor);
            in.put(GraphNames.Y, y.tensor);
            for (int m = 0; m < slots.size(); m++) in.put(slots.get(m).name(), masks.get(m).tensor);
            return in;
        }

        @Override
        public void close() {
            x.close();
            y.close();
            masks.forEach(NativeTensor::close);
        }
    }
}

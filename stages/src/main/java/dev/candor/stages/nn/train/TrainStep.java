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
import dev.candor.stages.nn.compile.TrainLoopGraph;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A compiled train step open in ONNX Runtime, with everything it carries from step to step: the parameters,
 * buffers and optimizer state, held twice as direct-buffer tensors. A step reads one set and writes the other as
 * pinned outputs, then the roles swap, so nothing is allocated or copied in Java per step (the Java API has no
 * IoBinding). Batches ({@link Batch}: x, y, example weights, dropout masks, DP-SGD noise) are direct buffers too,
 * one set per batch size, and each keeps its input and output maps for both parities, built once.
 *
 * <p>Opened {@code looped}, it also holds the step's {@link TrainLoopGraph} in a second session: {@link #run(StepGroup)}
 * runs K steps in one call on the same two sets (one swap per call), so on a GPU the carried values cross PCIe once
 * per K steps instead of once per step.
 *
 * <p>Used by {@link Trainer} and by the train-step benchmark, so the benchmark times exactly the training loop.
 */
public final class TrainStep implements AutoCloseable {
    private final CompiledModel model;
    private final OrtSession session;
    private final OpenSession owned;
    private final String where;
    private final List<String> carried = new ArrayList<>();
    private final List<Map<String, NativeTensor>> sets = List.of(new LinkedHashMap<>(), new LinkedHashMap<>());
    private final NativeTensor lr = new NativeTensor();
    private final NativeTensor stepNo = new NativeTensor();
    private final NativeTensor loss = new NativeTensor();
    private final Map<Integer, Batch> batches = new HashMap<>();
    private final Map<Long, StepGroup> groups = new HashMap<>();
    private final OrtSession loopSession;
    private final OpenSession loopOwned;
    private long steps;
    private int parity;

    private TrainStep(CompiledModel model, OrtSession session, OpenSession owned, OrtSession loopSession,
                      OpenSession loopOwned, String where, SplittableRandom init) {
        if (model.doublePrecision()) {
            throw new IllegalArgumentException("the train step runs float32 graphs; compile with doublePrecision=false");
        }
        this.model = model;
        this.session = session;
        this.owned = owned;
        this.loopSession = loopSession;
        this.loopOwned = loopOwned;
        this.where = where;
        List<Param> values = new ArrayList<>(model.params());
        values.addAll(model.buffers());
        for (Param p : values) add(p.name(), p.dims(), Initializer.values(p, init));
        for (CompiledModel.StateSlot s : model.state()) add(s.name(), s.param().dims(), new float[s.param().size()]);
    }

    private void add(String name, long[] dims, float[] initial) {
        carried.add(name);
        sets.get(0).put(name, new NativeTensor(dims));
        sets.get(1).put(name, new NativeTensor(dims));
        sets.get(0).get(name).put(initial);
    }

    /**
     * Opens the model's train step with these settings; parameters and buffers are initialized from {@code init}
     * in {@link CompiledModel#params()} then {@link CompiledModel#buffers()} order, optimizer state at zero.
     */
    public static TrainStep open(CompiledModel model, SessionSettings settings, SplittableRandom init) {
        return open(model, settings, init, false);
    }

    /**
     * The same, and with {@code looped} also the {@link TrainLoopGraph} of the step open in a second session, so
     * {@link #run(StepGroup)} can run several steps per call.
     */
    public static TrainStep open(CompiledModel model, SessionSettings settings, SplittableRandom init, boolean looped) {
        OpenSession s = OrtSessions.open(model.trainStep().toByteArray(), settings);
        OpenSession l = null;
        try {
            if (looped) l = OrtSessions.open(TrainLoopGraph.of(model).toByteArray(), settings);
            return new TrainStep(model, s.session(), s, l == null ? null : l.session(), l, s.where(), init);
        } catch (RuntimeException e) {
            if (l != null) l.close();
            s.close();
            throw e;
        }
    }

    /** Runs the train step on a session the caller opened (and closes), e.g. one with profiling on. */
    public static TrainStep over(CompiledModel model, OrtSession session, SplittableRandom init) {
        return new TrainStep(model, session, null, null, null, "caller's session", init);
    }

    /** The batch buffers for {@code size} rows, allocated on first use and kept. */
    public Batch batch(int size) {
        if (size < 1) throw new IllegalArgumentException("a batch needs at least 1 row, got " + size);
        return batches.computeIfAbsent(size, Batch::new);
    }

    /**
     * One step on {@code batch} (as last filled) at learning rate {@code rate}; the step number fed is
     * {@link #steps()} + 1.
     *
     * @return the batch's data loss
     */
    public float run(Batch batch, double rate) {
        lr.buffer.put(0, (float) rate);
        stepNo.buffer.put(0, (float) (steps + 1));
        try {
            session.run(batch.inputs(parity), Set.of(), batch.pinned(parity)).close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed during train step " + (steps + 1) + " (batch of "
                    + batch.size + " rows): " + e.getMessage(), e);
        }
        steps++;
        parity ^= 1;
        return loss.buffer.get(0);
    }

    /** Whether this step was opened with its loop graph ({@link #run(StepGroup)} works). */
    public boolean looped() {
        return loopSession != null;
    }

    /**
     * The stacked inputs of {@code steps} steps of {@code size} rows each, allocated on first use and kept.
     *
     * @throws IllegalStateException when the step was opened without its loop graph
     */
    public StepGroup group(int steps, int size) {
        if (loopSession == null) {
            throw new IllegalStateException("this train step was opened without its loop graph; open it with looped=true");
        }
        if (steps < 1 || size < 1) throw new IllegalArgumentException("a group needs >= 1 step of >= 1 row, got " + steps + " x " + size);
        return groups.computeIfAbsent(((long) steps << 32) | size, k -> new StepGroup(model, steps, size));
    }

    /**
     * {@link StepGroup#steps()} steps in one {@code OrtSession.run} of the loop graph, on the group as last filled;
     * step numbers {@link #steps()} + 1 onwards. The losses are then in {@link StepGroup#loss(int)}.
     */
    public void run(StepGroup group) {
        stepNo.buffer.put(0, (float) steps);
        try {
            loopSession.run(group.inputs(parity, stepNo, sets), Set.of(), group.pinned(parity, sets)).close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed during train steps " + (steps + 1) + " to "
                    + (steps + group.steps()) + " (one loop call, batches of " + group.size() + " rows): " + e.getMessage(), e);
        }
        steps += group.steps();
        parity ^= 1;
    }

    /** Steps run so far. */
    public long steps() {
        return steps;
    }

    /** Where the step runs ({@code cpu} or {@code cuda:N}). */
    public String where() {
        return where;
    }

    /** The current value of a parameter or buffer as a tensor the eval graph can read (valid until the next step). */
    OnnxTensor tensor(String name) {
        NativeTensor t = current().get(name);
        if (t == null) throw new IllegalArgumentException("the train step carries no value named " + name);
        return t.tensor;
    }

    /** A copy of the current parameters and buffers by name. */
    public Map<String, float[]> values() {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (Param p : model.params()) s.put(p.name(), current().get(p.name()).get());
        for (Param p : model.buffers()) s.put(p.name(), current().get(p.name()).get());
        return s;
    }

    private Map<String, NativeTensor> current() {
        return sets.get(parity);
    }

    @Override
    public void close() {
        for (Map<String, NativeTensor> set : sets) set.values().forEach(NativeTensor::close);
        batches.values().forEach(Batch::close);
        groups.values().forEach(StepGroup::close);
        if (loopOwned != null) loopOwned.close();
        lr.close();
        stepNo.close();
        loss.close();
        if (owned != null) owned.close();
    }

    /**
     * The inputs of one batch size: x, y, example weights (graphs compiled with them), dropout masks and DP-SGD
     * noise, refilled in place before each step.
     */
    public final class Batch {
        private final int size;
        private final NativeTensor x;
        private final NativeTensor y;
        private final NativeTensor weights;
        private final List<NativeTensor> masks = new ArrayList<>();
        private final List<NativeTensor> noise = new ArrayList<>();
        private final List<Map<String, OnnxTensorLike>> inputs = new ArrayList<>();
        private final List<Map<String, OnnxValue>> pinned = new ArrayList<>();

        private Batch(int size) {
            this.size = size;
            this.x = new NativeTensor(size, model.input().size());
            this.y = new NativeTensor(size, model.outputs());
            this.weights = model.weighted() ? new NativeTensor(size, 1) : null;
            for (CompiledModel.MaskSlot m : model.masks()) masks.add(new NativeTensor(m.shape().withBatch(size)));
            if (model.privacy().isPresent()) for (Param p : model.params()) noise.add(new NativeTensor(p.dims()));
            for (int parity = 0; parity < 2; parity++) {
                Map<String, OnnxTensorLike> in = new HashMap<>();
                in.put(GraphNames.X, x.tensor);
                in.put(GraphNames.Y, y.tensor);
                in.put(GraphNames.LR, lr.tensor);
                in.put(GraphNames.STEP, stepNo.tensor);
                if (weights != null) in.put(GraphNames.WEIGHTS, weights.tensor);
                for (int m = 0; m < masks.size(); m++) in.put(model.masks().get(m).name(), masks.get(m).tensor);
                for (int p = 0; p < noise.size(); p++) in.put(GraphNames.noise(model.params().get(p).name()), noise.get(p).tensor);
                Map<String, OnnxValue> out = new HashMap<>();
                out.put(GraphNames.LOSS, loss.tensor);
                for (String n : carried) {
                    in.put(n, sets.get(parity).get(n).tensor);
                    out.put(GraphNames.next(n), sets.get(1 - parity).get(n).tensor);
                }
                inputs.add(in);
                pinned.add(out);
            }
        }

        public int size() {
            return size;
        }

        /** Copies rows {@code rows[from .. from + size)} of {@code data} (features, targets, example weights). */
        public void fill(NnData data, int[] rows, int from) {
            int in = data.inputs();
            int out = data.outputs();
            for (int i = 0; i < size; i++) {
                int row = rows[from + i];
                x.buffer.put(i * in, data.x(), row * in, in);
                y.buffer.put(i * out, data.y(), row * out, out);
                if (weights != null) weights.buffer.put(i, data.weights()[row]);
            }
        }

        /** Sets row {@code i}'s example weight (0 makes a row that contributes nothing, e.g. an empty DP batch's stand-in). */
        public void weight(int i, float w) {
            if (weights == null) throw new IllegalStateException("the train step was compiled without example weights");
            weights.buffer.put(i, w);
        }

        /** Draws every dropout mask: 0 with the layer's probability p, else 1/(1-p). */
        public void dropout(SplittableRandom random) {
            for (int m = 0; m < masks.size(); m++) {
                double p = model.masks().get(m).p();
                float keep = (float) (1 / (1 - p));
                FloatBuffer buf = masks.get(m).buffer;
                for (int i = 0; i < buf.capacity(); i++) buf.put(i, random.nextDouble() < p ? 0f : keep);
            }
        }

        /** Draws DP-SGD's noise, N(0, std²) per parameter value, parameters in {@link CompiledModel#params()} order. */
        public void noise(SplittableRandom random, double std) {
            if (noise.isEmpty()) throw new IllegalStateException("the train step was compiled without DP-SGD");
            for (NativeTensor t : noise) {
                FloatBuffer buf = t.buffer;
                for (int i = 0; i < buf.capacity(); i++) buf.put(i, (float) (random.nextGaussian() * std));
            }
        }

        private Map<String, OnnxTensorLike> inputs(int parity) {
            return inputs.get(parity);
        }

        private Map<String, OnnxValue> pinned(int parity) {
            return pinned.get(parity);
        }

        private void close() {
            x.close();
            y.close();
            if (weights != null) weights.close();
            masks.forEach(NativeTensor::close);
            noise.forEach(NativeTensor::close);
        }
    }
}

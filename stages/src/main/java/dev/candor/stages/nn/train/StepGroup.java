package dev.candor.stages.nn.train;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.Param;
import dev.candor.stages.nn.compile.TrainLoopGraph;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The stacked inputs of K train steps of one batch size, for one call of the loop graph ({@link TrainLoopGraph}):
 * per step j its features, targets, learning rate, dropout masks, example weights and DP-SGD noise, each a direct
 * buffer [K, ...] refilled in place. Filling step j here draws exactly what {@link TrainStep.Batch} draws for one
 * step, in the same order, so K steps in one call see the same inputs as K calls of the single step.
 */
public final class StepGroup {
    private final CompiledModel model;
    private final int steps;
    private final int size;
    private final NativeTensor x;
    private final NativeTensor y;
    private final NativeTensor lr;
    private final NativeTensor weights;
    private final NativeTensor losses;
    private final List<NativeTensor> masks = new ArrayList<>();
    private final List<NativeTensor> noise = new ArrayList<>();
    private final List<Map<String, OnnxTensorLike>> inputs = new ArrayList<>(List.of(Map.of(), Map.of()));
    private final List<Map<String, OnnxValue>> pinned = new ArrayList<>(List.of(Map.of(), Map.of()));

    StepGroup(CompiledModel model, int steps, int size) {
        this.model = model;
        this.steps = steps;
        this.size = size;
        this.x = new NativeTensor(steps, size, model.input().size());
        this.y = new NativeTensor(steps, size, model.outputs());
        this.lr = new NativeTensor(steps);
        this.losses = new NativeTensor(steps);
        this.weights = model.weighted() ? new NativeTensor(steps, size, 1) : null;
        for (CompiledModel.MaskSlot m : model.masks()) masks.add(new NativeTensor(stack(m.shape().withBatch(size))));
        if (model.privacy().isPresent()) for (Param p : model.params()) noise.add(new NativeTensor(stack(p.dims())));
    }

    private long[] stack(long[] dims) {
        long[] d = new long[dims.length + 1];
        d[0] = steps;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return d;
    }

    /** K, the steps this group runs in one call. */
    public int steps() {
        return steps;
    }

    /** Rows per step. */
    public int size() {
        return size;
    }

    /** Step {@code j}'s rows: {@code rows[from .. from + size)} of {@code data} (features, targets, weights). */
    public void fill(int j, NnData data, int[] rows, int from) {
        int in = data.inputs();
        int out = data.outputs();
        for (int i = 0; i < size; i++) {
            int row = rows[from + i];
            int r = j * size + i;
            x.buffer.put(r * in, data.x(), row * in, in);
            y.buffer.put(r * out, data.y(), row * out, out);
            if (weights != null) weights.buffer.put(r, data.weights()[row]);
        }
    }

    /** Step {@code j}'s learning rate. */
    public void lr(int j, double rate) {
        lr.buffer.put(j, (float) rate);
    }

    /** Draws step {@code j}'s dropout masks, as {@link TrainStep.Batch#dropout} draws one step's. */
    public void dropout(int j, SplittableRandom random) {
        for (int m = 0; m < masks.size(); m++) {
            double p = model.masks().get(m).p();
            float keep = (float) (1 / (1 - p));
            FloatBuffer buf = masks.get(m).buffer;
            int per = buf.capacity() / steps;
            for (int i = 0; i < per; i++) buf.put(j * per + i, random.nextDouble() < p ? 0f : keep);
        }
    }

    /** Draws step {@code j}'s DP-SGD noise, as {@link TrainStep.Batch#noise} draws one step's. */
    public void noise(int j, SplittableRandom random, double std) {
        if (noise.isEmpty()) throw new IllegalStateException("the train step was compiled without DP-SGD");
        for (NativeTensor t : noise) {
            int per = t.buffer.capacity() / steps;
            for (int i = 0; i < per; i++) t.buffer.put(j * per + i, (float) (random.nextGaussian() * std));
        }
    }

    /** Step {@code j}'s data loss, after {@link TrainStep#run(StepGroup)}. */
    public float loss(int j) {
        return losses.buffer.get(j);
    }

    /** The input map when the carried values are in {@code sets.get(parity)}, built once per parity. */
    Map<String, OnnxTensorLike> inputs(int parity, NativeTensor stepNo, List<Map<String, NativeTensor>> sets) {
        if (inputs.get(parity).isEmpty()) build(parity, stepNo, sets);
        return inputs.get(parity);
    }

    Map<String, OnnxValue> pinned(int parity, List<Map<String, NativeTensor>> sets) {
        return pinned.get(parity);
    }

    private void build(int parity, NativeTensor stepNo, List<Map<String, NativeTensor>> sets) {
        Map<String, OnnxTensorLike> in = new HashMap<>();
        in.put(TrainLoopGraph.stacked(GraphNames.X), x.tensor);
        in.put(TrainLoopGraph.stacked(GraphNames.Y), y.tensor);
        in.put(TrainLoopGraph.stacked(GraphNames.LR), lr.tensor);
        in.put(GraphNames.STEP, stepNo.tensor);
        if (weights != null) in.put(TrainLoopGraph.stacked(GraphNames.WEIGHTS), weights.tensor);
        for (int m = 0; m < masks.size(); m++) in.put(TrainLoopGraph.stacked(model.masks().get(m).name()), masks.get(m).tensor);
        for (int p = 0; p < noise.size(); p++) {
            in.put(TrainLoopGraph.stacked(GraphNames.noise(model.params().get(p).name())), noise.get(p).tensor);
        }
        Map<String, OnnxValue> out = new HashMap<>();
        out.put(TrainLoopGraph.LOSSES, losses.tensor);
        for (Map.Entry<String, NativeTensor> c : sets.get(parity).entrySet()) {
            in.put(c.getKey(), c.getValue().tensor);
            out.put(GraphNames.next(c.getKey()), sets.get(1 - parity).get(c.getKey()).tensor);
        }
        inputs.set(parity, in);
        pinned.set(parity, out);
    }

    void close() {
        x.close();
        y.close();
        lr.close();
        losses.close();
        if (weights != null) weights.close();
        masks.forEach(NativeTensor::close);
        noise.forEach(NativeTensor::close);
    }
}

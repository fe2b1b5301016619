package dev.candor.stages.nn.compile;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.TensorShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a {@link ModelSpec} into a train-step graph and an eval graph (see {@link CompiledModel} for their
 * inputs and outputs). The train step is, in order: forward; loss; L1/L2 penalties; backward through the layers
 * in reverse, each layer emitting its own hand-derived gradient; gradient clipping by global norm; the optimizer
 * update. Only standard {@code ai.onnx} operators are used, so every execution provider runs it.
 *
 * <p>With {@link Options#privacy()} the backward pass is DP-SGD's (Abadi et al. 2016, see {@link DpSgdEmitter}):
 * per-example gradients of the per-example losses, each clipped to the clip norm, summed, noised and divided by
 * the expected batch size; the penalties, global clipping and the optimizer then act on that gradient (they see no
 * example, so privacy is kept as post-processing).
 */
public final class TrainStepCompiler {
    /**
     * @param doublePrecision float64 graphs (for gradient checks); training uses float32
     * @param exposeGradients add an output {@link GraphNames#grad} per parameter: the gradient the optimizer
     *                        sees (after penalties and clipping)
     * @param exampleWeights  add the input {@link GraphNames#WEIGHTS}: each row's loss is multiplied by its weight
     *                        and the batch loss is sum(w_i l_i) / sum(w_i) (DP-SGD graphs always have it)
     * @param privacy         compile DP-SGD (per-example clipping, noise inputs); empty for plain training
     */
    public record Options(boolean doublePrecision, boolean exposeGradients, boolean exampleWeights,
                          Optional<DpSgd> privacy) {
        public static final Options TRAINING = new Options(false, false);

        public Options {
            if (privacy == null) privacy = Optional.empty();
        }

        public Options(boolean doublePrecision, boolean exposeGradients) {
            this(doublePrecision, exposeGradients, false, Optional.empty());
        }

        public Options withExampleWeights(boolean weights) {
            return new Options(doublePrecision, exposeGradients, weights, privacy);
        }

        public Options withPrivacy(DpSgd dp) {
            return new Options(doublePrecision, exposeGradients, exampleWeights, Optional.of(dp));
        }

        /** Whether the train step has the {@link GraphNames#WEIGHTS} input. */
        public boolean weighted() {
            return exampleWeights || privacy.isPresent();
        }
    }

    private TrainStepCompiler() {
    }

    public static CompiledModel compile(ModelSpec spec, TensorShape input, int outputs, Options options) {
        List<Layer> layers = LayerStack.build(spec.layers(), input, outputs, spec.loss());
        if (options.privacy().isPresent()) checkPrivacySupport(layers);
        List<Param> params = new ArrayList<>();
        List<Param> buffers = new ArrayList<>();
        List<CompiledModel.MaskSlot> masks = new ArrayList<>();
        for (Layer l : layers) {
            params.addAll(l.params());
            buffers.addAll(l.buffers());
            if (l instanceof DropoutLayer d && d.p() > 0) {
                masks.add(new CompiledModel.MaskSlot(GraphNames.mask(l.name()), l.inputShape(), d.p()));
            }
        }
        List<CompiledModel.StateSlot> state = new ArrayList<>();
        for (Param p : params) {
            for (String s : spec.optimizer().stateNames()) state.add(new CompiledModel.StateSlot(GraphNames.state(p.name(), s), p));
        }
        ModelProto train = trainStep(spec, input, outputs, options, layers, params, buffers, state, masks);
        ModelProto eval = eval(spec, input, outputs, options.doublePrecision(), layers, params, buffers);
        return new CompiledModel(spec, input, outputs, options.doublePrecision(), layers, params, buffers, state, masks,
                train, eval, options.weighted(), options.privacy());
    }

    /**
     * DP-SGD needs every example's gradient norm, compiled here for dense layers only.
     *
     * @throws IllegalArgumentException naming the first layer that cannot be trained with DP-SGD, and why
     */
    public static void checkPrivacySupport(List<Layer> layers) {
        for (Layer l : layers) {
            String why = l instanceof BatchNormLayer ? "batch norm mixes the examples of a batch in its statistics, so"
                    + " one example's gradient is not its own and cannot be clipped alone; remove it or train without privacy"
                    : l instanceof Conv2dLayer ? "per-example gradients of convolutions are not compiled yet; use dense"
                    + " layers (after flatten) or train without privacy"
                    : l instanceof PoolLayer ? "pooling sits in convolutional models, whose per-example gradients are not"
                    + " compiled yet; use dense layers or train without privacy"
                    : null;
            if (why != null) throw new IllegalArgumentException("layer " + l.name() + " cannot be trained with DP-SGD: " + why);
        }
    }

    private static ModelProto trainStep(ModelSpec spec, TensorShape input, int outputs, Options options,
                                        List<Layer> layers, List<Param> params, List<Param> buffers,
                                        List<CompiledModel.StateSlot> state, List<CompiledModel.MaskSlot> masks) {
        GraphBuilder g = new GraphBuilder("candor_train_step", options.doublePrecision());
        declareBatch(g, input, outputs);
        g.input(GraphNames.LR);
        g.input(GraphNames.STEP);
        for (Param p : params) g.input(p.name(), p.declared());
        for (Param p : buffers) g.input(p.name(), p.declared());
        for (CompiledModel.StateSlot s : state) g.input(s.name(), s.param().declared());
        for (CompiledModel.MaskSlot m : masks) g.input(m.name(), batchDims(m.shape()));
        if (options.weighted()) g.input(GraphNames.WEIGHTS, "N", 1L);
        if (options.privacy().isPresent()) for (Param p : params) g.input(GraphNames.noise(p.name()), p.declared());

        GraphContext ctx = new GraphContext(Mode.TRAIN, Param::name);
        List<Layer.Forward> forwards = new ArrayList<>();
        String h = reshapeInput(g, GraphNames.X, input);
        for (Layer l : layers) {
            Layer.Forward f = l.forward(g, h, ctx);
            forwards.add(f);
            h = f.output();
        }
        boolean dp = options.privacy().isPresent();
        LossEmitter.Emitted loss = LossEmitter.emit(g, spec.loss(), h, GraphNames.Y, outputs, true,
                options.weighted() ? GraphNames.WEIGHTS : "", dp);

        Map<Param, String> grads = new LinkedHashMap<>();
        if (dp) {
            DpSgdEmitter perExample = new DpSgdEmitter();
            String dy = loss.dzPerExample();
            for (int i = layers.size() - 1; i >= 0; i--) dy = forwards.get(i).backward(g, dy, i > 0, perExample);
            g.rename(perExample.emit(g, options.privacy().get(), grads), GraphNames.CLIPPED_NORMS);
            g.output(GraphNames.CLIPPED_NORMS, "N", 1L);
        } else {
            String dy = loss.dz();
            for (int i = layers.size() - 1; i >= 0; i--) {
                dy = forwards.get(i).backward(g, dy, i > 0, (p, gr) -> grads.merge(p, gr, g::add));
            }
        }
        String objective = loss.loss();
        for (Param p : params) {
            if (!p.decayed()) continue;
            if (spec.l1() > 0) {
                objective = g.add(objective, g.scale(g.reduceSum(g.unary("Abs", p.name()), false), spec.l1()));
                grads.put(p, g.add(grads.get(p), g.scale(g.unary("Sign", p.name()), spec.l1())));
            }
            if (spec.l2() > 0) {
                objective = g.add(objective, g.scale(g.reduceSum(g.mul(p.name(), p.name()), false), spec.l2()));
                grads.put(p, g.add(grads.get(p), g.scale(p.name(), 2 * spec.l2())));
            }
        }
        if (spec.clipNorm() > 0) clip(g, spec.clipNorm(), params, grads);

        g.rename(loss.loss(), GraphNames.LOSS);
        g.output(GraphNames.LOSS);
        g.rename(objective, GraphNames.OBJECTIVE);
        g.output(GraphNames.OBJECTIVE);
        g.rename(loss.predictions(), GraphNames.PREDICTIONS);
        g.output(GraphNames.PREDICTIONS, "N", (long) outputs);

        OptimizerEmitter opt = new OptimizerEmitter(g, spec.optimizer(), GraphNames.LR, GraphNames.STEP);
        List<String> stateNames = spec.optimizer().stateNames();
        for (Param p : params) {
            String grad = grads.get(p);
            if (grad == null) throw new IllegalStateException("no gradient was emitted for parameter " + p.name());
            List<String> in = stateNames.stream().map(s -> GraphNames.state(p.name(), s)).toList();
            OptimizerEmitter.Update u = opt.update(p, p.name(), grad, in);
            g.rename(u.param(), GraphNames.next(p.name()));
            g.output(GraphNames.next(p.name()), p.declared());
            for (int i = 0; i < in.size(); i++) {
                g.rename(u.state().get(i), GraphNames.next(in.get(i)));
                g.output(GraphNames.next(in.get(i)), p.declared());
            }
            if (options.exposeGradients()) {
                g.rename(grad, GraphNames.grad(p.name()));
                g.output(GraphNames.grad(p.name()), p.declared());
            }
        }
        for (Param b : buffers) {
            String nv = ctx.bufferUpdates.get(b);
            if (nv == null) throw new IllegalStateException("buffer " + b.name() + " was not updated by its layer");
            g.rename(nv, GraphNames.next(b.name()));
            g.output(GraphNames.next(b.name()), b.declared());
        }
        return g.build();
    }

    /** Scales every gradient by min(1, c / (||g|| + 1e-6)), ||g|| the norm over all parameters together. */
    private static void clip(GraphBuilder g, double c, List<Param> params, Map<Param, String> grads) {
        String sq = null;
        for (Param p : params) {
            String s = g.reduceSum(g.mul(grads.get(p), grads.get(p)), false);
            sq = sq == null ? s : g.add(sq, s);
        }
        String norm = g.unary("Sqrt", sq);
        String factor = g.op("Min", List.of(g.scalar(1), g.div(g.scalar(c), g.add(norm, g.scalar(1e-6)))));
        for (Param p : params) grads.put(p, g.mul(grads.get(p), factor));
    }

    private static ModelProto eval(ModelSpec spec, TensorShape input, int outputs, boolean dbl, List<Layer> layers,
                                   List<Param> params, List<Param> buffers) {
        GraphBuilder g = new GraphBuilder("candor_eval", dbl);
        declareBatch(g, input, outputs);
        for (Param p : params) g.input(p.name(), p.declared());
        for (Param p : buffers) g.input(p.name(), p.declared());
        String h = forward(g, layers, input, GraphNames.X, new GraphContext(Mode.EVAL, Param::name));
        LossEmitter.Emitted loss = LossEmitter.emit(g, spec.loss(), h, GraphNames.Y, outputs, false);
        g.rename(loss.loss(), GraphNames.LOSS);
        g.output(GraphNames.LOSS);
        g.rename(loss.predictions(), GraphNames.PREDICTIONS);
        g.output(GraphNames.PREDICTIONS, "N", (long) outputs);
        return g.build();
    }

    /** Emits the forward pass of {@code x} through all layers; returns the logits. */
    static String forward(GraphBuilder g, List<Layer> layers, TensorShape input, String x, Layer.Context ctx) {
        String h = reshapeInput(g, x, input);
        for (Layer l : layers) h = l.forward(g, h, ctx).output();
        return h;
    }

    private static void declareBatch(GraphBuilder g, TensorShape input, int outputs) {
        g.input(GraphNames.X, "N", (long) input.size());
        g.input(GraphNames.Y, "N", (long) outputs);
    }

    private static String reshapeInput(GraphBuilder g, String x, TensorShape input) {
        return input.rank() == 1 ? x : g.reshape(x, input.withBatch(-1));
    }

    static Object[] batchDims(TensorShape s) {
        Object[] d = new Object[s.rank() + 1];
        d[0] = "N";
        for (int i = 0; i < s.rank(); i++) d[i + 1] = (long) s.dim(i);
        return d;
    }

    /** The context of one graph: where parameters live, dropout masks, buffer updates. */
    static final class GraphContext implements Layer.Context {
        private final Mode mode;
        private final java.util.function.Function<Param, String> values;
        final Map<Param, String> bufferUpdates = new LinkedHashMap<>();

        GraphContext(Mode mode, java.util.function.Function<Param, String> values) {
            this.mode = mode;
            this.values = values;
        }

        public Mode mode() {
            return mode;
        }

        public String value(Param p) {
            return values.apply(p);
        }

        public String dropoutMask(Layer layer) {
            return GraphNames.mask(layer.name());
        }

        public void updateBuffer(Param p, String newValue) {
            bufferUpdates.put(p, newValue);
        }
    }
}

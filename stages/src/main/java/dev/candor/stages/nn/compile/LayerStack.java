package dev.candor.stages.nn.compile;

import dev.candor.stages.nn.model.Activation;
import dev.candor.stages.nn.model.LayerSpec;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.SizeLimitException;
import dev.candor.stages.nn.model.TensorShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the layer descriptions into compiled {@link Layer}s, inferring every shape from the input shape, and
 * appends the output layer the loss implies (a dense layer to the logits). Shape errors name the layer, the shape
 * it gets and what it needs.
 */
public final class LayerStack {
    /**
     * The most parameters (weights, biases and batch-norm statistics) a network may have: 400 MB as 32-bit floats,
     * which training holds three to four times (gradients, optimizer state), and well inside ONNX's 2 GB model file.
     */
    public static final long MAX_PARAMETERS = 100_000_000;

    private LayerStack() {
    }

    /**
     * @param input   the shape of one example ([features], or [channels, height, width] for images)
     * @param outputs the number of logits: classes for cross-entropy and hinge, 1 for binary cross-entropy,
     *                targets for MSE
     */
    public static List<Layer> build(List<LayerSpec> specs, TensorShape input, int outputs, LossSpec loss) {
        if (outputs < 1) throw new IllegalArgumentException("the model needs at least 1 output, got " + outputs);
        if (loss.kind() == LossSpec.Kind.BINARY_CROSS_ENTROPY && outputs != 1) {
            throw new IllegalArgumentException("binary-cross-entropy needs exactly 1 output (the positive class's logit), got "
                    + outputs + "; use cross-entropy for " + outputs + " classes");
        }
        if ((loss.kind() == LossSpec.Kind.CROSS_ENTROPY || loss.kind() == LossSpec.Kind.HINGE)
                && !loss.classWeights().isEmpty() && loss.classWeights().size() != outputs) {
            throw new IllegalArgumentException("class_weights has " + loss.classWeights().size()
                    + " values but the label has " + outputs + " classes; give one weight per class");
        }
        List<Layer> layers = new ArrayList<>();
        TensorShape shape = input;
        String previous = "the input";
        for (int i = 0; i < specs.size(); i++) {
            LayerSpec s = specs.get(i);
            String where = "layer " + (i + 1) + " '" + s.text() + "'";
            String prefix = "l" + (i + 1) + ".";
            try {
                List<Layer> made = make(s, prefix, shape, nextActivation(specs, i));
                layers.addAll(made);
                shape = made.get(made.size() - 1).outputShape();
            } catch (SizeLimitException e) {
                throw new SizeLimitException(where + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " cannot take the output of " + previous + " (shape "
                        + shape + "): " + e.getMessage(), e);
            }
            previous = where;
        }
        if (shape.rank() != 1) {
            throw new IllegalArgumentException("the output layer needs a vector but " + previous + " gives shape " + shape
                    + "; add 'flatten' at the end of the layers");
        }
        layers.add(new DenseLayer("out", shape.dim(0), outputs, Param.Init.XAVIER));
        long count = parameterCount(layers);
        if (count > MAX_PARAMETERS) {
            throw new SizeLimitException(String.format("the network has %,d parameters with %s inputs and %d outputs;"
                    + " at most %,d are allowed: use fewer or smaller layers (or pool before dense layers)", count, input,
                    outputs, MAX_PARAMETERS));
        }
        return List.copyOf(layers);
    }

    /** The values the layers own: trainable parameters and buffers, counted exactly (no int overflow). */
    public static long parameterCount(List<Layer> layers) {
        long total = 0;
        try {
            for (Layer l : layers) {
                for (Param p : concat(l.params(), l.buffers())) {
                    long values = 1;
                    for (long d : p.shape()) values = Math.multiplyExact(values, d);
                    total = Math.addExact(total, values);
                }
            }
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
        return total;
    }

    private static List<Param> concat(List<Param> a, List<Param> b) {
        List<Param> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Activation nextActivation(List<LayerSpec> specs, int i) {
        return i + 1 < specs.size() && specs.get(i + 1) instanceof LayerSpec.Act a ? a.activation() : Activation.NONE;
    }

    private static List<Layer> make(LayerSpec s, String prefix, TensorShape in, Activation following) {
        if (s instanceof LayerSpec.Dense d) {
            if (in.rank() != 1) throw new IllegalArgumentException("dense needs a vector; add 'flatten' before it");
            Activation act = d.activation() == Activation.NONE ? following : d.activation();
            DenseLayer dense = new DenseLayer(prefix + "dense", in.dim(0), d.units(), initFor(act));
            return withActivation(dense, prefix, d.activation());
        }
        if (s instanceof LayerSpec.Act a) return List.of(new ActivationLayer(prefix + a.activation().word(), a.activation(), in));
        if (s instanceof LayerSpec.Dropout d) return List.of(new DropoutLayer(prefix + "dropout", d.p(), in));
        if (s instanceof LayerSpec.Flatten) return List.of(new FlattenLayer(prefix + "flatten", in));
        if (s instanceof LayerSpec.Conv2d c) {
            Activation act = c.activation() == Activation.NONE ? following : c.activation();
            return withActivation(new Conv2dLayer(prefix + "conv", c, in, initFor(act)), prefix, c.activation());
        }
        if (s instanceof LayerSpec.Pool p) return List.of(new PoolLayer(prefix + (p.max() ? "maxpool" : "avgpool"), p, in));
        if (s instanceof LayerSpec.BatchNorm b) return List.of(new BatchNormLayer(prefix + "bn", b, in));
        throw new IllegalStateException("no compiler for layer kind " + s.getClass().getSimpleName());
    }

    private static List<Layer> withActivation(Layer layer, String prefix, Activation act) {
        if (act == Activation.NONE) return List.of(layer);
        return List.of(layer, new ActivationLayer(prefix + act.word(), act, layer.outputShape()));
    }

    private static Param.Init initFor(Activation act) {
        return act == Activation.RELU || act == Activation.LEAKY_RELU ? Param.Init.HE : Param.Init.XAVIER;
    }
}

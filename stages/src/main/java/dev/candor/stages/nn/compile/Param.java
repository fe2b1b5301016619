package dev.candor.stages.nn.compile;

import java.util.List;

/**
 * A tensor a layer owns: a trainable parameter or a non-trainable buffer (batch-norm running statistics).
 *
 * @param name    unique in the model, e.g. {@code dense1.W}; it is the graph input's name
 * @param shape   its dims (no batch dimension)
 * @param init    how the trainer initializes it
 * @param decayed whether L1/L2 regularization and weight decay apply (weights and kernels, not biases)
 * @param fanIn   inputs feeding one output unit (for He/Xavier)
 * @param fanOut  outputs one input unit feeds (for Xavier)
 */
public record Param(String name, List<Long> shape, Init init, boolean decayed, int fanIn, int fanOut) {
    /** Initialization rules. */
    public enum Init {
        /** He et al. 2015: normal with std sqrt(2 / fanIn), for ReLU-family layers. */
        HE,
        /** Glorot &amp; Bengio 2010: uniform on +-sqrt(6 / (fanIn + fanOut)), for other activations. */
        XAVIER,
        ZEROS,
        ONES
    }

    public Param {
        shape = List.copyOf(shape);
    }

    public long[] dims() {
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    /** Number of values. */
    public int size() {
        long s = 1;
        for (long d : shape) s *= d;
        return Math.toIntExact(s);
    }

    /** The dims as graph-declaration objects. */
    Object[] declared() {
        return shape.toArray();
    }
}

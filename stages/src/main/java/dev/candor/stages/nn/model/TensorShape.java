package dev.candor.stages.nn.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of one example as it flows between layers, without the batch dimension: {@code [features]} for
 * vectors, {@code [channels, height, width]} for images.
 */
public record TensorShape(List<Integer> dims) {
    /**
     * The most values one example may hold (a 3x1800x1800 image): a batch of them is held in memory, and shapes stay
     * far from int overflow in the layers' arithmetic.
     */
    public static final int MAX_VALUES = 10_000_000;
    /** The most float32 values one tensor buffer holds in training (a batch of examples): 2 GB, an int's worth of bytes. */
    public static final long MAX_TENSOR_VALUES = Integer.MAX_VALUE / 4;

    public TensorShape {
        dims = List.copyOf(dims);
        if (dims.isEmpty()) throw new IllegalArgumentException("a tensor shape needs at least one dimension");
        long values = 1;
        for (int d : dims) {
            if (d < 1) throw new IllegalArgumentException("tensor shape " + dims + " has a dimension < 1");
            values *= d;
            if (values > MAX_VALUES) {
                throw new SizeLimitException(String.format("an example of shape %s holds more than %,d values, the most"
                        + " Candor trains on; use smaller images or fewer features, or pool earlier", dims, MAX_VALUES));
            }
        }
    }

    public static TensorShape of(int... dims) {
        return new TensorShape(java.util.Arrays.stream(dims).boxed().toList());
    }

    public int rank() {
        return dims.size();
    }

    public int dim(int i) {
        return dims.get(i);
    }

    /** The number of values in one example. */
    public int size() {
        int s = 1;
        for (int d : dims) s *= d;
        return s;
    }

    /** The dims with a leading batch dimension {@code batch}, as ONNX Runtime wants them. */
    public long[] withBatch(long batch) {
        long[] r = new long[dims.size() + 1];
        r[0] = batch;
        for (int i = 0; i < dims.size(); i++) r[i + 1] = dims.get(i);
        return r;
    }

    @Override
    public String toString() {
        return dims.stream().map(String::valueOf).collect(Collectors.joining("x", "[", "]"));
    }
}

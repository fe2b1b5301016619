package dev.candor.stages.nn.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.candor.gpu.session.OrtSessions;
import dev.candor.stages.nn.model.SizeLimitException;
import dev.candor.stages.nn.model.TensorShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A float32 ONNX Runtime tensor over a direct buffer that Java fills in place: ONNX Runtime reads (and, as a
 * pinned output, writes) the same memory on every run, so no step allocates.
 */
final class NativeTensor implements AutoCloseable {
    final FloatBuffer buffer;
    final OnnxTensor tensor;
    final long[] dims;

    NativeTensor(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
            if (n > TensorShape.MAX_TENSOR_VALUES) {
                throw new SizeLimitException(String.format("a training tensor of shape %s holds more than %,d values (the"
                        + " 2 GB one buffer can take): use a smaller batch, or fewer features", Arrays.toString(dims),
                        TensorShape.MAX_TENSOR_VALUES));
            }
        }
        this.dims = dims.clone();
        this.buffer = ByteBuffer.allocateDirect((int) (n * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        try {
            this.tensor = OnnxTensor.createTensor(OrtSessions.environment(), buffer, dims);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create an ONNX Runtime tensor: " + e.getMessage(), e);
        }
    }

    void put(float[] values) {
        buffer.clear();
        buffer.put(values);
        buffer.clear();
    }

    float[] get() {
        float[] v = new float[buffer.capacity()];
        buffer.get(0, v);
        return v;
    }

    @Override
    public void close() {
        tensor.close();
    }
}

package dev.candor.stages.nn;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OpenSession;
import dev.candor.gpu.session.OrtSessions;
import dev.candor.gpu.session.SessionSettings;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/** Runs a compiled graph on the CPU with double[] in and out, in float32 or float64 as the graph is. */
final class GraphRunner implements AutoCloseable {
    private final OpenSession open;
    private final boolean dbl;

    GraphRunner(ModelProto model, boolean doublePrecision) {
        this.open = OrtSessions.open(model.toByteArray(),
                new SessionSettings(Device.CPU, 1, OrtSession.SessionOptions.OptLevel.ALL_OPT));
        this.dbl = doublePrecision;
    }

    /** Runs with inputs given as (values, dims); returns every output flattened to double[]. */
    Map<String, double[]> run(Map<String, Input> inputs) {
        OrtEnvironment env = OrtSessions.environment();
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (var e : inputs.entrySet()) {
                double[] v = e.getValue().values();
                if (dbl) {
                    tensors.put(e.getKey(), OnnxTensor.createTensor(env, DoubleBuffer.wrap(v), e.getValue().dims()));
                } else {
                    float[] f = new float[v.length];
                    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
                    tensors.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(f), e.getValue().dims()));
                }
            }
            Map<String, double[]> out = new HashMap<>();
            try (OrtSession.Result r = open.session().run(tensors)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    if (dbl) {
                        DoubleBuffer b = t.getDoubleBuffer();
                        double[] d = new double[b.remaining()];
                        b.get(d);
                        out.put(e.getKey(), d);
                    } else {
                        FloatBuffer b = t.getFloatBuffer();
                        double[] d = new double[b.remaining()];
                        for (int i = 0; i < d.length; i++) d[i] = b.get(i);
                        out.put(e.getKey(), d);
                    }
                }
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        open.close();
    }

    /** One input: values and dims. */
    record Input(double[] values, long[] dims) { }
}

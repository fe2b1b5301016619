package dev.candor.stages.explain;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.candor.explain.gradients.Gradient;
import dev.candor.gpu.session.OpenSession;
import dev.candor.gpu.session.OrtSessions;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.nn.compile.InputGradientGraph;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A {@link Gradient} computed by ONNX Runtime from an {@link InputGradientGraph}: rows go in as float32, one-hot
 * output weights pick the class, and the graph's gradient comes back widened to double. Also gives the model's
 * outputs for the same rows, from the same forward pass. Not thread-safe; close it to free the session.
 */
public final class OnnxInputGradient implements Gradient, AutoCloseable {
    private final OpenSession open;
    private final int width;
    private final int outputs;

    /**
     * @param graph   an {@link InputGradientGraph}
     * @param width   the model's input width
     * @param outputs the width of its output ({@link InputGradientGraph#outputWidth})
     */
    public OnnxInputGradient(ModelProto graph, int width, int outputs, SessionSettings settings) {
        this.open = OrtSessions.open(graph.toByteArray(), settings);
        this.width = width;
        this.outputs = outputs;
    }

    @Override
    public double[][] gradient(double[][] inputs, int classIndex) {
        return run(inputs, classIndex, InputGradientGraph.GRADIENT, width);
    }

    /** The model's outputs (probabilities for a classifier) for {@code inputs}. */
    public double[][] outputs(double[][] inputs) {
        return run(inputs, 0, InputGradientGraph.OUTPUTS, outputs);
    }

    private double[][] run(double[][] inputs, int classIndex, String output, int outWidth) {
        if (classIndex < 0 || classIndex >= outputs) {
            throw new IllegalArgumentException("class index " + classIndex + " is outside the model's " + outputs
                    + " outputs");
        }
        int n = inputs.length;
        float[] x = new float[n * width];
        float[] w = new float[n * outputs];
        for (int i = 0; i < n; i++) {
            if (inputs[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + inputs[i].length + " values, the model takes "
                        + width);
            }
            for (int j = 0; j < width; j++) x[i * width + j] = (float) inputs[i][j];
            w[i * outputs + classIndex] = 1;
        }
        var env = OrtSessions.environment();
        try (OnnxTensor xs = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, width});
             OnnxTensor ws = OnnxTensor.createTensor(env, FloatBuffer.wrap(w), new long[] {n, outputs});
             OrtSession.Result r = open.session().run(Map.of(InputGradientGraph.INPUT, xs,
                     InputGradientGraph.OUTPUT_WEIGHTS, ws), java.util.Set.of(output))) {
            FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
            double[][] out = new double[n][outWidth];
            for (int i = 0; i < n; i++) for (int j = 0; j < outWidth; j++) out[i][j] = b.get(i * outWidth + j);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the input-gradient graph: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        open.close();
    }
}

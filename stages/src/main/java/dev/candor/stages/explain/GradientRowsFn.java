package dev.candor.stages.explain;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.candor.explain.gradients.IntegratedGradients;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.SessionSettings;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Explains rows with Integrated Gradients and gradient × input, one at a time: each instance opens its own
 * {@link OnnxInputGradient} session over the input-gradient graph in {@code @Setup} and closes it in
 * {@code @Teardown}. Attributions are summed per source column (Integrated Gradients is additive, so a one-hot
 * column's sum is its share of the completeness total).
 */
final class GradientRowsFn extends DoFn<ShapRows.Input, GradientRowsFn.Explained> {
    static final String NAMESPACE = "candor.explain";
    static final String ROWS_COUNTER = "rows_explained";

    /**
     * What an instance needs.
     *
     * @param graph         the serialized input-gradient graph
     * @param device        the ONNX Runtime device
     * @param width         the model's input width
     * @param outputs       its output width
     * @param playerColumns per source column, its encoded feature indexes
     * @param explained     the class indexes to explain
     * @param baseline      the path's start, encoded
     * @param steps         trapezoid intervals
     */
    record Spec(byte[] graph, String device, int width, int outputs, List<int[]> playerColumns, int[] explained,
                double[] baseline, int steps) implements Serializable {
    }

    /**
     * One explained row.
     *
     * @param sourceRow      the 1-based line of the row in the source file
     * @param attributions   {@code [class][player]} Integrated Gradients
     * @param saliency       {@code [class][player]} gradient × (input − baseline) at the row
     * @param prediction     the model's probability per explained class
     * @param baselineOutput the probability at the baseline per explained class
     * @param gap            per explained class, |Σ attributions − (prediction − baseline output)|
     */
    record Explained(long sourceRow, double[][] attributions, double[][] saliency, double[] prediction,
                     double[] baselineOutput, double[] gap) implements Serializable {
    }

    private final Spec spec;
    private transient OnnxInputGradient gradient;
    private transient IntegratedGradients ig;
    private transient double[] baselineOutputs;
    private transient Counter explained;

    GradientRowsFn(Spec spec) {
        this.spec = spec;
    }

    @Setup
    public void setup() throws InvalidProtocolBufferException {
        gradient = new OnnxInputGradient(ModelProto.parseFrom(spec.graph()), spec.width(), spec.outputs(),
                SessionSettings.defaults().withDevice(Device.parse(spec.device())).withIntraOpThreads(1));
        ig = new IntegratedGradients(gradient, IntegratedGradients.Options.defaults().withSteps(spec.steps()));
        baselineOutputs = gradient.outputs(new double[][] {spec.baseline()})[0];
        explained = Metrics.counter(NAMESPACE, ROWS_COUNTER);
    }

    @ProcessElement
    public void process(@Element ShapRows.Input row, OutputReceiver<Explained> out) {
        double[] x = new double[spec.width()];
        for (int j = 0; j < x.length; j++) x[j] = row.features()[j];
        double[] p = gradient.outputs(new double[][] {x})[0];
        int[] classes = spec.explained();
        List<int[]> groups = spec.playerColumns();
        double[][] attributions = new double[classes.length][groups.size()];
        double[][] saliency = new double[classes.length][groups.size()];
        double[] prediction = new double[classes.length];
        double[] base = new double[classes.length];
        double[] gap = new double[classes.length];
        for (int i = 0; i < classes.length; i++) {
            int k = classes[i];
            IntegratedGradients.Attribution a = ig.explain(x, spec.baseline(), k);
            double[] values = a.values();
            double[] g = gradient.gradient(new double[][] {x}, k)[0];
            for (int q = 0; q < groups.size(); q++) {
                for (int f : groups.get(q)) {
                    attributions[i][q] += values[f];
                    saliency[i][q] += g[f] * (x[f] - spec.baseline()[f]);
                }
            }
            prediction[i] = p[k];
            base[i] = baselineOutputs[k];
            gap[i] = a.completenessGap(p[k], baselineOutputs[k]);
        }
        out.output(new Explained(row.sourceRow(), attributions, saliency, prediction, base, gap));
        explained.inc();
    }

    @Teardown
    public void teardown() {
        if (gradient != null) gradient.close();
    }
}

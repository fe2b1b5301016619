package dev.candor.stages.explain;

import dev.candor.explain.lime.LimeExplanation;
import dev.candor.explain.lime.LimeTabular;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.gpu.session.SessionSettings;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Explains rows with LIME, one at a time: each instance opens its own {@link OnnxPredictor} and builds its
 * {@link LimeTabular} once in {@code @Setup}, and closes the session in {@code @Teardown}. Single-threaded, since Beam
 * already runs one instance per worker thread.
 */
final class LimeRowsFn extends DoFn<ShapRows.Input, LimeRows.Explained> {
    static final String NAMESPACE = "candor.explain";
    static final String ROWS_COUNTER = "rows_explained";
    /** Rows per ONNX Runtime call for the perturbation batches. */
    static final int BATCH_ROWS = 8192;

    /**
     * What an instance needs, in plain serializable values.
     *
     * @param modelFile     the {@code model.onnx} file
     * @param device        the ONNX Runtime device
     * @param input         the ONNX input
     * @param output        the probabilities output
     * @param labels        every model class, in output order
     * @param featureNames  the encoded features, in input order
     * @param playerColumns per source column, its encoded feature indexes
     * @param explained     the indexes of the classes to report
     * @param training      encoded train rows, for the features' spread
     * @param samples       perturbed rows per explanation
     * @param kernelWidth   the kernel width (0: automatic)
     */
    record Spec(String modelFile, String device, String input, String output, List<String> labels,
                List<String> featureNames, List<int[]> playerColumns, int[] explained, float[][] training,
                int samples, double kernelWidth) implements Serializable {
    }

    private final Spec spec;
    private transient OnnxPredictor predictor;
    private transient LimeTabular lime;
    private transient Counter explained;

    LimeRowsFn(Spec spec) {
        this.spec = spec;
    }

    @Setup
    public void setup() {
        predictor = OnnxPredictor.open(Path.of(spec.modelFile()), new OnnxPredictor.Options(spec.input(),
                spec.output(), spec.labels(), BATCH_ROWS,
                SessionSettings.defaults().withDevice(Device.parse(spec.device())).withIntraOpThreads(1)));
        if (predictor.inputWidth() != spec.featureNames().size()) {
            predictor.close();
            throw new IllegalStateException(spec.modelFile() + ": its metadata lists " + spec.featureNames().size()
                    + " features but its input '" + spec.input() + "' takes " + predictor.inputWidth());
        }
        lime = new LimeTabular(predictor, spec.featureNames(), spec.training(), LimeTabular.Options.defaults()
                .withSamples(spec.samples()).withKernelWidth(spec.kernelWidth()));
        explained = Metrics.counter(NAMESPACE, ROWS_COUNTER);
    }

    @ProcessElement
    public void process(@Element ShapRows.Input row, OutputReceiver<LimeRows.Explained> out) {
        LimeExplanation e = lime.explain(row.features(), row.seed());
        int[] classes = spec.explained();
        List<int[]> groups = spec.playerColumns();
        double[][] weights = new double[classes.length][groups.size()];
        double[] intercept = new double[classes.length];
        double[] prediction = new double[classes.length];
        double[] fidelity = new double[classes.length];
        for (int i = 0; i < classes.length; i++) {
            int k = classes[i];
            double[] w = e.weights(k);
            for (int p = 0; p < groups.size(); p++) for (int f : groups.get(p)) weights[i][p] += w[f];
            intercept[i] = e.intercepts()[k];
            prediction[i] = e.modelPrediction()[k];
            fidelity[i] = e.weightedR2()[k];
        }
        out.output(new LimeRows.Explained(row.sourceRow(), weights, intercept, prediction, fidelity, e.samples()));
        explained.inc();
    }

    @Teardown
    public void teardown() {
        if (predictor != null) predictor.close();
    }
}

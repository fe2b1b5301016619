package dev.candor.stages.explain;

import dev.candor.explain.shap.Background;
import dev.candor.explain.shap.KernelShap;
import dev.candor.explain.shap.Players;
import dev.candor.explain.shap.ShapValues;
import dev.candor.explain.shap.TreeShap;
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
 * Explains rows, one at a time: each instance builds its explainer once in {@code @Setup} (KernelSHAP over its own
 * {@link OnnxPredictor}, or TreeSHAP over the trees read from the model file) and closes it in {@code @Teardown}. It
 * runs single-threaded, since Beam already runs one instance per worker thread.
 *
 * <p>The values come out per player (source column): KernelSHAP switches a column's encoded features together, so a
 * one-hot column is one player of its game; TreeSHAP's per-indicator values are summed per column. That sum keeps
 * efficiency (the values still add up to the raw score minus its expectation) but is not in general the Shapley value
 * of the column as one player of the grouped game; {@code explanations.json} says so in its note.
 */
final class ExplainRowsFn extends DoFn<ShapRows.Input, ShapRows.Explained> {
    static final String NAMESPACE = "candor.explain";
    static final String ROWS_COUNTER = "rows_explained";
    /** Rows per ONNX Runtime call for KernelSHAP's coalition batches. */
    static final int BATCH_ROWS = 8192;

    /**
     * What an instance needs to build its explainer, in plain serializable values.
     *
     * @param tree              TreeSHAP when true, KernelSHAP otherwise
     * @param modelFile         the {@code model.onnx} file
     * @param device            the ONNX Runtime device
     * @param input             the ONNX input
     * @param output            the probabilities output
     * @param labels            every model class, in output order
     * @param featureNames      the encoded features, in input order
     * @param playerNames       the source columns, one per player
     * @param playerColumns     per player, its encoded feature indexes
     * @param explained         the indexes of the classes to report
     * @param backgroundRows    KernelSHAP's background, row-major (empty for TreeSHAP)
     * @param backgroundWeights its weights
     * @param samples           KernelSHAP's coalition budget (0: the library's default)
     */
    record Spec(boolean tree, String modelFile, String device, String input, String output, List<String> labels,
                List<String> featureNames, List<String> playerNames, List<int[]> playerColumns, int[] explained,
                float[] backgroundRows, double[] backgroundWeights, int samples) implements Serializable {
    }

    /** One explainer, owned by one DoFn instance. */
    private interface RowExplainer extends AutoCloseable {
        ShapValues explain(float[] x, long seed);

        @Override
        void close();
    }

    private final Spec spec;
    private transient RowExplainer explainer;
    private transient int[][] groups;
    private transient Counter explained;

    ExplainRowsFn(Spec spec) {
        this.spec = spec;
    }

    @Setup
    public void setup() {
        Players players = new Players(spec.playerNames(), spec.playerColumns());
        groups = spec.playerColumns().toArray(int[][]::new);
        explainer = spec.tree() ? treeExplainer() : kernelExplainer(players);
        explained = Metrics.counter(NAMESPACE, ROWS_COUNTER);
    }

    private RowExplainer treeExplainer() {
        Path file = Path.of(spec.modelFile());
        OnnxTrees trees = OnnxTrees.read(OnnxTrees.parse(file), spec.labels().size(), file.toString());
        TreeShap shap = new TreeShap(trees.trees(), trees.baseScores(), spec.labels(), spec.featureNames());
        return new RowExplainer() {
            @Override public ShapValues explain(float[] x, long seed) { return shap.explain(x); }
            @Override public void close() { }
        };
    }

    private RowExplainer kernelExplainer(Players players) {
        int width = spec.featureNames().size();
        OnnxPredictor predictor = OnnxPredictor.open(Path.of(spec.modelFile()), new OnnxPredictor.Options(
                spec.input(), spec.output(), spec.labels(), BATCH_ROWS,
                SessionSettings.defaults().withDevice(Device.parse(spec.device())).withIntraOpThreads(1)));
        try {
            if (predictor.inputWidth() != width) {
                throw new IllegalStateException(spec.modelFile() + ": its metadata lists " + width
                        + " features but its input '" + spec.input() + "' takes " + predictor.inputWidth());
            }
            KernelShap shap = new KernelShap(predictor,
                    new Background(spec.backgroundRows(), spec.backgroundWeights(), width), players,
                    KernelShap.Options.defaults().withSampleBudget(spec.samples()).withBatchRows(BATCH_ROWS)
                            .withThreads(1));
            return new RowExplainer() {
                @Override public ShapValues explain(float[] x, long seed) { return shap.explain(x, seed); }
                @Override public void close() { predictor.close(); }
            };
        } catch (RuntimeException e) {
            predictor.close();
            throw e;
        }
    }

    @ProcessElement
    public void process(@Element ShapRows.Input row, OutputReceiver<ShapRows.Explained> out) {
        ShapValues v = explainer.explain(row.features(), row.seed());
        int[] classes = spec.explained();
        double[][] values = new double[classes.length][];
        double[] base = new double[classes.length];
        double[] prediction = new double[classes.length];
        for (int i = 0; i < classes.length; i++) {
            int k = classes[i];
            values[i] = spec.tree() ? grouped(v.values(k)) : v.values(k);
            base[i] = v.base()[k];
            prediction[i] = v.prediction()[k];
        }
        out.output(new ShapRows.Explained(row.sourceRow(), values, base, prediction, v.modelEvaluations()));
        explained.inc();
    }

    /** Per-feature values summed per player (source column). */
    private double[] grouped(double[] perFeature) {
        double[] g = new double[groups.length];
        for (int p = 0; p < groups.length; p++) for (int f : groups[p]) g[p] += perFeature[f];
        return g;
    }

    @Teardown
    public void teardown() {
        if (explainer != null) explainer.close();
    }
}

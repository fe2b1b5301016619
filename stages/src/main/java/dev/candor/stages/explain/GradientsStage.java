package dev.candor.stages.explain;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.internal.BeamRuns;
import dev.candor.stages.internal.ModelInputs;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.nn.NnArchitecture;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.InputGradientGraph;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.OptimizerSpec;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code explain.gradients}: Integrated Gradients (Sundararajan, Taly &amp; Yan 2017) and gradient × input saliency
 * for a neural model trained by {@code train.onnx}, in probability units.
 *
 * <p>Steps: (1) open the model, check the data fit it; (2) rebuild its layers from the configuration (the model file
 * holds the trained values but not the layer list), load the trained values from the model's initializers and
 * compile the input-gradient graph ({@link InputGradientGraph}, the layers' own backward emitters); (3) check the
 * rebuilt graph reproduces the model's probabilities on the rows (so mismatched layers cannot explain another model);
 * (4) explain the rows in a Beam pipeline, one ONNX Runtime session per DoFn instance; (5) write
 * {@code gradients.json} and record the mean |attribution| per feature and class and the worst completeness gap.
 */
public final class GradientsStage implements Stage<GradientsConfig> {
    public static final String TYPE = "explain.gradients";
    static final String FILE = "gradients.json";
    /** How far the rebuilt graph's probabilities may be from the model's: float32 rounding of the same operations. */
    static final double REPRODUCTION_TOLERANCE = 1e-5;
    private static final Logger LOG = LoggerFactory.getLogger(GradientsStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROWS_PREFIX = "rows";

    @Override public String type() { return TYPE; }

    @Override public String description() {
        return "Explains a neural model's predictions with Integrated Gradients and gradient × input, per row, and"
                + " summarizes them as mean |attribution| per feature and class";
    }

    @Override public Class<GradientsConfig> configType() { return GradientsConfig.class; }

    @Override public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the train.onnx model to explain"),
                InputPort.exactlyOne(ArtifactKind.DATASET, "the data whose rows are explained (baseline from its train split)"));
    }

    @Override public ArtifactKind output() { return ArtifactKind.EXPLANATION; }

    @Override public List<String> results(GradientsConfig config) {
        return List.of("ig.completeness_gap_max", "explained_rows");
    }

    @Override
    public StageOutput run(GradientsConfig config, StageContext context) throws Exception {
        InputArtifact modelArtifact = context.input(ArtifactKind.MODEL);
        InputArtifact dataArtifact = context.input(ArtifactKind.DATASET);
        Device device = Device.parse(context.device());

        // (1)
        ModelInputs.Probed probed = ModelInputs.probe(modelArtifact, device);
        ModelMetadata model = probed.metadata();
        if (!model.modelType().equals("mlp") && !model.modelType().equals("cnn")) {
            throw new IllegalArgumentException("explain.gradients needs a neural model from train.onnx, but model '"
                    + modelArtifact.producer() + "' is a " + model.modelType() + "; explain it with explain.shap or"
                    + " explain.lime");
        }
        DatasetSchema schema = Datasets.readSchema(dataArtifact.path());
        ModelInputs.checkCompatible(model, schema, modelArtifact, dataArtifact);
        int[] explained = ShapStage.classIndexes(config.classes(), model, modelArtifact);
        List<String> classNames = new ArrayList<>();
        for (int k : explained) classNames.add(model.labels().get(k));
        FeatureEncoder encoder = model.encoder();
        int[] columns = encoder.columnIndexes(schema);
        List<ShapJson.Player> players = ShapStage.players(encoder);
        List<int[]> playerColumns = ShapStage.playerColumns(encoder, players);

        // (2)
        ModelProto proto = OnnxTrees.parse(probed.file());
        Map<String, String> properties = new HashMap<>();
        proto.getMetadataPropsList().forEach(e -> properties.put(e.getKey(), e.getValue()));
        NnArchitecture architecture = config.architecture(NnArchitecture.fromProperties(properties),
                modelArtifact.producer());
        ModelProto graph = compile(architecture, model, modelArtifact, proto, encoder.width());

        SplittableRandom seeds = new SplittableRandom(context.seed());
        long sampleSeed = seeds.nextLong();
        String split = config.split().label();
        List<DatasetRow> splitRows = ShapStage.rowsOf(dataArtifact, config.split(), "explain another split (split:"
                + " test, validation or train)");
        List<DatasetRow> chosen = ShapStage.sample(splitRows, config.rows(), sampleSeed);
        List<ShapRows.Input> inputs = new ArrayList<>(chosen.size());
        for (DatasetRow r : chosen) inputs.add(new ShapRows.Input(r.sourceRow(), 0L, ShapStage.encode(encoder, columns, r)));
        double[] baseline = new double[encoder.width()];
        if (config.baseline() == GradientsConfig.Baseline.MEAN) {
            List<DatasetRow> train = ShapStage.rowsOf(dataArtifact, Split.TRAIN, "the mean baseline is the train"
                    + " rows' mean; give the train split rows or use baseline: zeros");
            for (DatasetRow r : train) {
                float[] x = ShapStage.encode(encoder, columns, r);
                for (int j = 0; j < x.length; j++) baseline[j] += x[j];
            }
            for (int j = 0; j < baseline.length; j++) baseline[j] /= train.size();
        }

        // (3)
        checkReproduces(graph, probed.file(), model, modelArtifact, inputs, encoder.width());
        LOG.debug("{} {}: model {} ({}), dataset {} split {} ({} of {} rows), {} steps, baseline {}, device {}, config {}",
                TYPE, context.stageId(), modelArtifact.producer(), modelArtifact.sha256(), dataArtifact.producer(),
                split, inputs.size(), splitRows.size(), config.steps(), config.baseline().label(), device, config);

        // (4)
        GradientRowsFn.Spec spec = new GradientRowsFn.Spec(graph.toByteArray(), device.toString(), encoder.width(),
                model.labels().size(), playerColumns, explained, baseline, config.steps());
        Path scratch = context.scratchDir().resolve("gradients");
        Files.createDirectories(scratch);
        long started = System.nanoTime();
        Pipeline pipeline = Pipeline.create(BeamRuns.watchedOptions(context));
        pipeline.apply("RowsToExplain", Create.of(inputs).withCoder(SerializableCoder.of(ShapRows.Input.class)))
                .apply("IntegratedGradients", ParDo.of(new GradientRowsFn(spec)))
                .setCoder(SerializableCoder.of(GradientRowsFn.Explained.class))
                .apply("RowsToJson", MapElements.into(TypeDescriptors.strings()).via(GradientsStage::toJson))
                .apply("WriteRows", TextIO.write().to(scratch.resolve(ROWS_PREFIX).toString()).withSuffix(".jsonl"));
        BeamRuns.runWatched(pipeline, context, GradientRowsFn.NAMESPACE, GradientRowsFn.ROWS_COUNTER, "rows",
                inputs.size(), "explanation");
        double seconds = (System.nanoTime() - started) / 1e9;
        List<GradientRowsFn.Explained> rows = ExplainedRows.readAll(scratch, ROWS_PREFIX,
                GradientRowsFn.Explained.class, GradientRowsFn.Explained::sourceRow);
        if (rows.size() != inputs.size()) {
            throw new IllegalStateException(inputs.size() + " rows were sent to be explained but " + rows.size()
                    + " came back");
        }
        context.progress().update("rows", rows.size(), inputs.size());

        // (5)
        double[][] meanAbs = new double[explained.length][players.size()];
        BigDecimal n = BigDecimal.valueOf(rows.size());
        for (int k = 0; k < explained.length; k++) {
            for (int p = 0; p < players.size(); p++) {
                BigDecimal s = BigDecimal.ZERO;
                for (GradientRowsFn.Explained r : rows) s = s.add(new BigDecimal(Math.abs(r.attributions()[k][p])));
                meanAbs[k][p] = s.divide(n, MathContext.DECIMAL64).doubleValue();
            }
        }
        double worstGap = 0;
        for (GradientRowsFn.Explained r : rows) for (double g : r.gap()) worstGap = Math.max(worstGap, g);
        Path out = context.outputDir().resolve(FILE);
        write(out, modelArtifact, dataArtifact, model, split, splitRows.size(), config, classNames, players, meanAbs,
                worstGap, rows, context.seed());
        if (!Files.isRegularFile(out)) throw new IllegalStateException(TYPE + " did not write " + out);
        var sink = context.metrics();
        for (int k = 0; k < classNames.size(); k++) {
            for (int p = 0; p < players.size(); p++) {
                sink.record("ig_mean_abs_attribution", meanAbs[k][p], split,
                        "feature=" + players.get(p).column() + ",class=" + classNames.get(k));
            }
        }
        sink.record("ig.completeness_gap_max", worstGap, split);
        sink.record("explained_rows", rows.size(), split);

        int k = classNames.size() - 1;
        int best = ShapJson.top(meanAbs[k], 1).get(0);
        String text = String.format(Locale.ROOT, "%d %s rows explained with Integrated Gradients (%d steps, %s baseline)"
                        + " in %.1f s (%.1f rows/s); worst completeness gap %.2g; top for %s: %s (mean |attribution| %.3g)",
                rows.size(), split, config.steps(), config.baseline().label(), seconds,
                rows.size() / Math.max(seconds, 1e-9), worstGap, classNames.get(k), players.get(best).column(),
                meanAbs[k][best]);
        LOG.debug("{} {}: {}; wrote {}", TYPE, context.stageId(), text, out);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("split", split);
        metadata.put("rows", Integer.toString(rows.size()));
        metadata.put("method", "integrated-gradients");
        metadata.put("output_space", "probability");
        metadata.put("classes", String.join(",", classNames));
        return new StageOutput(text, metadata);
    }

    /** Recompiles the configured layers with the model's trained values into the input-gradient graph. */
    private static ModelProto compile(NnArchitecture config, ModelMetadata model, InputArtifact artifact,
                                      ModelProto proto, int width) {
        LossSpec loss = GradientsConfig.lossSpec(config);
        int classes = model.labels().size();
        if (loss.kind() == LossSpec.Kind.BINARY_CROSS_ENTROPY && classes != 2) {
            throw new ConfigException("loss", "is binary-cross-entropy but model '" + artifact.producer() + "' has "
                    + classes + " classes " + model.labels());
        }
        int outputs = loss.kind() == LossSpec.Kind.BINARY_CROSS_ENTROPY ? 1 : classes;
        TensorShape input = config.inputShape().isEmpty() ? TensorShape.of(width) : new TensorShape(config.inputShape());
        if (input.size() != width) {
            throw new ConfigException("input_shape", config.inputShape() + " holds " + input.size() + " values but"
                    + " model '" + artifact.producer() + "' takes " + width + " features");
        }
        Map<String, float[]> values = new HashMap<>();
        for (TensorProto t : proto.getGraph().getInitializerList()) values.put(t.getName(), floats(t));
        String fix = "; give explain.gradients the layers, loss and input_shape of the train.onnx stage that produced"
                + " model '" + artifact.producer() + "'";
        try {
            CompiledModel compiled = TrainStepCompiler.compile(ModelSpec.of(GradientsConfig.layerSpecs(config), loss,
                    OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM, 0.001)), input, outputs,
                    TrainStepCompiler.Options.TRAINING);
            return InputGradientGraph.build(compiled, values);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("layers", e.getMessage() + fix);
        }
    }

    /** The rebuilt graph must give the model's own probabilities, or it explains some other model. */
    private static void checkReproduces(ModelProto graph, Path modelFile, ModelMetadata model, InputArtifact artifact,
                                        List<ShapRows.Input> inputs, int width) {
        double[][] x = new double[inputs.size()][width];
        float[][] xf = new float[inputs.size()][];
        for (int i = 0; i < x.length; i++) {
            xf[i] = inputs.get(i).features();
            for (int j = 0; j < width; j++) x[i][j] = xf[i][j];
        }
        try (OnnxInputGradient rebuilt = new OnnxInputGradient(graph, width, model.labels().size(),
                SessionSettings.defaults());
             OnnxPredictor original = OnnxPredictor.open(modelFile, new OnnxPredictor.Options(model.inputName(),
                     model.probabilitiesOutput(), model.labels(), OnnxPredictor.Options.DEFAULT_BATCH,
                     SessionSettings.defaults()))) {
            double[][] a = rebuilt.outputs(x);
            float[][] b = original.predict(xf);
            double worst = 0;
            for (int i = 0; i < x.length; i++) for (int k = 0; k < b[i].length; k++) worst = Math.max(worst, Math.abs(a[i][k] - b[i][k]));
            if (worst > REPRODUCTION_TOLERANCE) {
                throw new ConfigException("layers", "rebuilt with these layers, model '" + artifact.producer()
                        + "' gives probabilities up to " + String.format(Locale.ROOT, "%.3g", worst) + " away from its"
                        + " own (at most " + REPRODUCTION_TOLERANCE + " expected); give explain.gradients the layers,"
                        + " loss and input_shape of the train.onnx stage that produced it");
            }
        }
    }

    private static float[] floats(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) return new float[0];
        if (t.getFloatDataCount() > 0) {
            float[] f = new float[t.getFloatDataCount()];
            for (int i = 0; i < f.length; i++) f[i] = t.getFloatData(i);
            return f;
        }
        ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    static String toJson(GradientRowsFn.Explained e) {
        try {
            return JSON.writeValueAsString(e);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot write a gradient row as JSON", ex);
        }
    }


    private static void write(Path file, InputArtifact modelArtifact, InputArtifact dataArtifact, ModelMetadata model,
                              String split, long splitRows, GradientsConfig config, List<String> classes,
                              List<ShapJson.Player> players, double[][] meanAbs, double worstGap,
                              List<GradientRowsFn.Explained> rows, long seed) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("method", "integrated-gradients");
        root.put("output_space", "probability");
        root.put("note", "Integrated Gradients from the " + config.baseline().label() + " baseline along a straight"
                + " path, " + config.steps() + " trapezoid steps: a row's attributions add up to its probability minus"
                + " the baseline's, up to the completeness gap listed. Saliency is the gradient at the row times the"
                + " row's distance from the baseline (a first-order, local reading). A source column's value sums its"
                + " encoded features'.");
        root.set("model", LimeJson.artifact(new ShapJson.Artifact(modelArtifact.producer(), modelArtifact.sha256(),
                model.modelType())));
        root.set("dataset", LimeJson.artifact(new ShapJson.Artifact(dataArtifact.producer(), dataArtifact.sha256(),
                null)));
        root.put("split", split);
        root.put("split_rows", splitRows);
        root.put("explained_rows", rows.size());
        root.put("steps", config.steps());
        root.put("baseline", config.baseline().label());
        root.put("completeness_gap_max", worstGap);
        root.put("seed", seed);
        ArrayNode cls = root.putArray("classes");
        classes.forEach(cls::add);
        ArrayNode feats = root.putArray("features");
        players.forEach(p -> feats.add(p.column()));
        ObjectNode global = root.putObject("mean_abs_attribution");
        for (int k = 0; k < classes.size(); k++) {
            ObjectNode perClass = global.putObject(classes.get(k));
            for (int p = 0; p < players.size(); p++) perClass.put(players.get(p).column(), meanAbs[k][p]);
        }
        ArrayNode out = root.putArray("rows");
        for (GradientRowsFn.Explained e : rows) {
            ObjectNode r = out.addObject();
            r.put("row", e.sourceRow());
            ObjectNode perClass = r.putObject("classes");
            for (int k = 0; k < classes.size(); k++) {
                ObjectNode o = perClass.putObject(classes.get(k));
                o.put("prediction", e.prediction()[k]);
                o.put("baseline_prediction", e.baselineOutput()[k]);
                o.put("completeness_gap", e.gap()[k]);
                ArrayNode a = o.putArray("attributions");
                for (double v : e.attributions()[k]) a.add(v);
                ArrayNode s = o.putArray("saliency");
                for (double v : e.saliency()[k]) s.add(v);
                ArrayNode top = o.putArray("top");
                for (int p : ShapJson.top(e.attributions()[k], config.top())) {
                    top.addObject().put("feature", players.get(p).column()).put("attribution", e.attributions()[k][p]);
                }
            }
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        JSON.writer(printer).writeValue(file.toFile(), root);
    }
}

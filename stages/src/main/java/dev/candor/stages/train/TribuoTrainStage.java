package dev.candor.stages.train;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * {@code train.tribuo}: trains logistic regression, CART, a random forest or XGBoost with Tribuo on a dataset's train
 * split and writes the model as ONNX ({@code model.onnx}) with Candor's metadata (see {@link ModelMetadata}).
 *
 * <p>Steps: (1) fit the feature encoder on the train split; (2) encode every row to floats, and give Tribuo exactly
 * those floats, so the model is trained on what an ONNX consumer will feed it; (3) train with the stage's seed;
 * (4) order the encoder's features as Tribuo's feature ids (the ONNX input order) and the output columns as the
 * dataset's sorted classes; (5) export: logistic regression through Tribuo's own ONNX export, trees through
 * {@link TreeEnsembleOnnx}, after checking in Java that the exported trees reproduce Tribuo's probabilities on every
 * training row; (6) record training metrics. A dataset with a weight column (see {@link ExampleWeights}) trains
 * with per-example weights.
 */
public final class TribuoTrainStage implements Stage<TribuoTrainConfig> {
    public static final String TYPE = "train.tribuo";
    /** The ONNX input every model of this stage takes: float [N, features]. */
    public static final String INPUT_NAME = "features";
    /** The ONNX output of class probabilities: float [N, classes], in the dataset's class order. */
    public static final String OUTPUT_NAME = "probabilities";
    /** The largest difference between an exported tree ensemble and Tribuo's own probabilities the stage accepts. */
    static final double EXPORT_TOLERANCE = 1e-5;

    private static final Logger LOG = LoggerFactory.getLogger(TribuoTrainStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Trains logistic regression, CART, a random forest or XGBoost with Tribuo and exports it to ONNX";
    }

    @Override
    public Class<TribuoTrainConfig> configType() {
        return TribuoTrainConfig.class;
    }

    @Override
    public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.DATASET, "the data to train on"));
    }

    @Override
    public ArtifactKind output() {
        return ArtifactKind.MODEL;
    }

    /**
     * Accuracy (read from the validation split when there is one, else the training split), training rows, encoded
     * features and classes, and epochs (logistic regression) or trees and tree nodes (tree ensembles).
     */
    @Override
    public List<String> results(TribuoTrainConfig config) {
        return config.algorithm() == Algorithm.LOGISTIC_REGRESSION
                ? List.of("accuracy", "rows", "features", "classes", "epochs")
                : List.of("accuracy", "rows", "features", "classes", "trees", "tree_nodes");
    }

    @Override
    public StageOutput run(TribuoTrainConfig config, StageContext context) throws IOException {
        return train(config, context).output();
    }

    /**
     * What one training produced. The Tribuo model is kept so that tests (and programs using the stage as a library)
     * can compare the ONNX file with it.
     */
    record Trained(Model<Label> model, ModelMetadata metadata, Path onnxFile, StageOutput output) {
    }

    Trained train(TribuoTrainConfig config, StageContext context) throws IOException {
        InputArtifact data = context.input(ArtifactKind.DATASET);
        DatasetSchema schema = Datasets.readSchema(data.path());
        List<DatasetRow> rows = Datasets.readSplit(data.path(), Split.TRAIN);
        String trainFile = data.path().resolve(Split.TRAIN.fileName()).toString();
        LOG.debug("stage {}: {} with {} on {} ({} train rows, seed {})", context.stageId(), TYPE, config,
                data.path(), rows.size(), context.seed());
        if (rows.isEmpty()) {
            throw new DataException(trainFile, 0, null, null, "the train split has no rows; a model needs data to "
                    + "train on (give the train split a larger fraction at ingestion)");
        }
        EncoderFit.requireVariation(schema, rows, trainFile);
        List<String> classes = schema.classes();
        String[] labels = TrainingLabels.of(schema, rows, trainFile);

        // (1) and (2): the encoder and the encoded rows, in schema order for now.
        FeatureEncoder fitted = EncoderFit.fit(schema, rows);
        float[][] encoded = encode(fitted, schema, rows);
        MutableDataset<Label> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("candor dataset " + data.sha256(), new LabelFactory()), new LabelFactory());
        String[] names = fitted.names().toArray(String[]::new);
        Trainer<Label> trainer = TribuoTrainers.create(config, context.seed());
        Optional<float[]> weights = ExampleWeights.of(schema, rows, trainFile, trainer, config.algorithm());
        for (int r = 0; r < encoded.length; r++) {
            double[] values = new double[names.length];
            for (int f = 0; f < values.length; f++) values[f] = encoded[r][f];
            ArrayExample<Label> example = new ArrayExample<>(new Label(labels[r]), names, values);
            if (weights.isPresent()) example.setWeight(weights.get()[r]);
            dataset.add(example);
        }

        // (3)
        context.progress().update("models", 0, 1);
        Model<Label> model = trainer.train(dataset);
        context.progress().update("models", 1, 1);

        // (4): Tribuo numbers features and labels itself; the ONNX input follows its feature ids.
        List<String> order = new ArrayList<>();
        for (int id = 0; id < model.getFeatureIDMap().size(); id++) order.add(model.getFeatureIDMap().get(id).getName());
        FeatureEncoder encoder = EncoderFit.reorder(fitted, order);
        int[] permutation = new int[order.size()];
        for (int f = 0; f < permutation.length; f++) permutation[f] = fitted.names().indexOf(order.get(f));
        float[][] inModelOrder = new float[encoded.length][];
        for (int r = 0; r < encoded.length; r++) {
            inModelOrder[r] = new float[permutation.length];
            for (int f = 0; f < permutation.length; f++) inModelOrder[r][f] = encoded[r][permutation[f]];
        }
        int[] classOfLabelId = new int[model.getOutputIDInfo().size()];
        for (int id = 0; id < classOfLabelId.length; id++) {
            classOfLabelId[id] = classes.indexOf(model.getOutputIDInfo().getOutput(id).getLabel());
        }
        List<Prediction<Label>> predictions = model.predict(dataset);
        Optional<Double> validation = validationAccuracy(data, schema, model, encoder);

        // (5)
        // From the config record (fixed component order), not the trainer's toString: XGBoost's lists its
        // parameters in HashMap order, which would make the model file's bytes depend on the JVM.
        String description = "Tribuo " + Tribuo.VERSION + " " + trainer.getClass().getSimpleName() + " " + config
                + ", seed " + context.seed();
        ModelMetadata metadata = new ModelMetadata(config.algorithm().label(), INPUT_NAME, OUTPUT_NAME, classes,
                encoder, data.sha256(), description);
        OnnxExport.Result export = OnnxExport.export(config.algorithm(), model, encoder, classes, classOfLabelId,
                inModelOrder, predictions);
        ModelProto proto = OnnxGraphs.withMetadata(export.model(), metadata.toProperties());
        Path file = context.outputDir().resolve(ModelMetadata.MODEL_FILE);
        byte[] bytes = proto.toByteArray();
        Files.write(file, bytes);
        if (!Files.isRegularFile(file) || Files.size(file) != bytes.length) {
            throw new IllegalStateException("the model file " + file + " was not written completely");
        }

        // (6)
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            if (predictions.get(r).getOutput().getLabel().equals(labels[r])) correct++;
        }
        double accuracy = (double) correct / labels.length;
        Map<String, String> facts = new LinkedHashMap<>();
        context.metrics().record("accuracy", accuracy, Split.TRAIN.label());
        context.metrics().record("rows", labels.length, Split.TRAIN.label());
        validation.ifPresent(a -> {
            context.metrics().record("accuracy", a, Split.VALIDATION.label());
            facts.put("validation_accuracy", Double.toString(a));
        });
        context.metrics().record("features", encoder.width(), null);
        context.metrics().record("classes", classes.size(), null);
        if (config.algorithm() == Algorithm.LOGISTIC_REGRESSION) {
            context.metrics().record("epochs", config.epochs(), null);
        } else {
            context.metrics().record("trees", export.trees(), null);
            context.metrics().record("tree_nodes", export.nodes(), null);
        }

        facts.put("model_type", config.algorithm().label());
        weights.ifPresent(w -> facts.put("example_weights", ExampleWeights.column(schema)));
        facts.put("features", Integer.toString(encoder.width()));
        facts.put("classes", json(classes));
        facts.put("train_rows", Integer.toString(labels.length));
        facts.put("train_accuracy", Double.toString(accuracy));
        facts.put("onnx_export", export.exporter());
        facts.put("onnx_bytes", Integer.toString(bytes.length));
        String summary = String.format(Locale.ROOT, "%s on %d rows × %d features, %d classes; exported to ONNX (%s)",
                config.algorithm().label(), labels.length, encoder.width(), classes.size(), size(bytes.length));
        LOG.debug("stage {}: wrote {} ({} bytes, exporter {}); train accuracy {}", context.stageId(), file,
                bytes.length, export.exporter(), accuracy);
        return new Trained(model, metadata, file, new StageOutput(summary, facts));
    }

    /** Accuracy on the validation split, when the dataset has one with rows (it is not used for training). */
    private static Optional<Double> validationAccuracy(InputArtifact data, DatasetSchema schema, Model<Label> model,
                                                       FeatureEncoder encoder) {
        if (!Files.isRegularFile(data.path().resolve(Split.VALIDATION.fileName()))) return Optional.empty();
        List<DatasetRow> rows = Datasets.readSplit(data.path(), Split.VALIDATION);
        if (rows.isEmpty()) return Optional.empty();
        String[] labels = TrainingLabels.names(schema, rows, data.path().resolve(Split.VALIDATION.fileName()).toString());
        float[][] x = encode(encoder, schema, rows);
        int correct = 0;
        for (int r = 0; r < x.length; r++) {
            if (model.predict(example(encoder, x[r], labels[r])).getOutput().getLabel().equals(labels[r])) correct++;
        }
        return Optional.of((double) correct / x.length);
    }

    /** Tribuo examples built from encoded rows, as the stage trains on them (features named as the encoder says). */
    static Example<Label> example(FeatureEncoder encoder, float[] row, String label) {
        double[] values = new double[row.length];
        for (int f = 0; f < row.length; f++) values[f] = row[f];
        return new ArrayExample<>(new Label(label), encoder.names().toArray(String[]::new), values);
    }

    static float[][] encode(FeatureEncoder encoder, DatasetSchema schema, List<DatasetRow> rows) {
        int[] columns = encoder.columnIndexes(schema);
        float[][] out = new float[rows.size()][encoder.width()];
        for (int r = 0; r < out.length; r++) encoder.encode(rows.get(r).values(), columns, out[r]);
        return out;
    }

    private static String size(int bytes) {
        return bytes < 1024 ? bytes + " B" : String.format(Locale.ROOT, "%d KB", Math.round(bytes / 1024.0));
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
        return index;
    }
}

package dev.candor.stages.nn;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OpenSession;
import dev.candor.gpu.session.OrtSessions;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.data.WeightColumn;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.nn.compile.CompiledModel;
import dev.candor.stages.nn.compile.GraphNames;
import dev.candor.stages.nn.compile.InferenceGraph;
import dev.candor.stages.nn.compile.TrainStepCompiler;
import dev.candor.stages.nn.model.LossSpec;
import dev.candor.stages.nn.model.ModelSpec;
import dev.candor.stages.nn.model.SizeLimitException;
import dev.candor.stages.nn.model.TensorShape;
import dev.candor.stages.nn.train.EarlyStopping;
import dev.candor.stages.nn.train.EpochMetrics;
import dev.candor.stages.nn.train.NnData;
import dev.candor.stages.nn.train.Schedule;
import dev.candor.stages.nn.train.TrainConfig;
import dev.candor.stages.nn.train.Trainer;
import dev.candor.stages.nn.train.TrainingResult;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import dev.candor.stages.train.EncoderFit;
import dev.candor.stages.train.TrainingLabels;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code train.onnx}: trains a neural network in ONNX Runtime (see {@link TrainStepCompiler} and {@link Trainer})
 * on a dataset's train split, validates every epoch on its validation split, and writes the inference graph as
 * {@code model.onnx} with Candor's metadata, so {@code evaluate} scores it like any other model.
 *
 * <p>Steps: (1) fit the feature encoder on the train split and encode both splits; (2) compile the model for
 * [features] (or the configured image shape) and the label's classes; (3) train with the stage's seed on the
 * configured device, recording each epoch's losses and validation accuracy as a series; (4) export the kept
 * weights (the best epoch's under early stopping) as the inference graph and check it by scoring the train split.
 * With {@code loss: mse} the outputs are clipped and normalized into probabilities ({@link ScoresAsProbabilities}).
 *
 * <p>Metrics: per epoch, {@code train_loss} (split train), {@code val_loss} and {@code val_accuracy} (split
 * validation), each with slice {@code epoch=N} (1-based); at the end, {@code train_accuracy} and {@code accuracy}
 * (train, of the exported model), {@code val_accuracy}, {@code accuracy} and {@code val_loss} (validation, of the kept
 * epoch), {@code epochs_run}, {@code best_epoch} (1-based) and {@code parameters}.
 *
 * <p>Example weights: when the dataset has a column with role {@code weight}, each training row's loss is
 * multiplied by it and a batch's loss is sum(w_i l_i) / sum(w_i) (so integer weights act as duplicated rows);
 * validation loss and accuracy stay unweighted. Under {@code privacy} a row's weight scales its loss before its
 * gradient is clipped, and the clipped sum is divided by the expected batch size, not by the sum of weights (a
 * data-dependent divisor would break the sensitivity bound).
 *
 * <p>Privacy: with {@code privacy} the model is trained with DP-SGD (Abadi et al. 2016; see {@link DpPlan}) and the
 * privacy spent is recorded as {@code privacy.epsilon}, {@code privacy.delta}, {@code privacy.noise_multiplier},
 * {@code privacy.clip}, {@code privacy.sampling_rate} and {@code privacy.steps} (no split). ε counts every step run,
 * also under early stopping the steps after the kept epoch.
 */
public final class OnnxTrainStage implements Stage<OnnxTrainConfig> {
    public static final String TYPE = "train.onnx";

    private static final Logger LOG = LoggerFactory.getLogger(OnnxTrainStage.class);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "Trains a neural network (MLP or CNN) in ONNX Runtime on the CPU or a CUDA GPU and exports its inference graph";
    }

    @Override
    public Class<OnnxTrainConfig> configType() {
        return OnnxTrainConfig.class;
    }

    @Override
    public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.DATASET, "the data to train and validate on"));
    }

    @Override
    public ArtifactKind output() {
        return ArtifactKind.MODEL;
    }

    /**
     * What a gate may use: the metrics this stage records (see the class comment), and with {@code privacy} the
     * privacy spent: {@code privacy.epsilon}, {@code privacy.delta}, {@code privacy.noise_multiplier},
     * {@code privacy.clip}, {@code privacy.sampling_rate}, {@code privacy.steps}.
     */
    @Override
    public List<String> results(OnnxTrainConfig config) {
        List<String> names = new ArrayList<>(List.of("accuracy", "val_loss", "val_accuracy", "train_accuracy",
                "epochs_run", "best_epoch", "parameters"));
        if (config.privacy() != null) names.addAll(DpPlan.METRICS);
        return List.copyOf(names);
    }

    @Override
    public StageOutput run(OnnxTrainConfig config, StageContext context) throws IOException {
        InputArtifact data = context.input(ArtifactKind.DATASET);
        DatasetSchema schema = Datasets.readSchema(data.path());
        String trainFile = data.path().resolve(Split.TRAIN.fileName()).toString();
        String valFile = data.path().resolve(Split.VALIDATION.fileName()).toString();
        List<DatasetRow> trainRows = Datasets.readSplit(data.path(), Split.TRAIN);
        if (trainRows.isEmpty()) {
            throw new DataException(trainFile, 0, null, null, "the train split has no rows; a model needs data to "
                    + "train on (give the train split a larger fraction at ingestion)");
        }
        EncoderFit.requireVariation(schema, trainRows, trainFile);
        List<DatasetRow> valRows = Files.isRegularFile(Path.of(valFile)) ? Datasets.readSplit(data.path(), Split.VALIDATION)
                : List.of();
        if (valRows.isEmpty()) {
            throw new DataException(valFile, 0, null, null, "the validation split has no rows; train.onnx measures "
                    + "every epoch on it (learning curves, early stopping): give split.validation a fraction > 0 at ingestion");
        }
        List<String> classes = schema.classes();
        LossSpec loss = loss(config, classes);

        // (1)
        FeatureEncoder encoder = EncoderFit.fit(schema, trainRows);
        NnData train = encode(encoder, schema, trainRows, TrainingLabels.of(schema, trainRows, trainFile), classes, loss);
        NnData val = encode(encoder, schema, valRows, TrainingLabels.names(schema, valRows, valFile), classes, loss);
        Optional<float[]> weights = WeightColumn.values(schema, trainRows, trainFile);
        if (weights.isPresent()) train = train.withWeights(weights.get());
        OnnxTrainConfig.Privacy privacy = config.privacy();
        if (privacy != null) DpPlan.checkLayers(config.layerSpecs());
        DpPlan dp = privacy == null ? null : DpPlan.plan(privacy, train.rows(), config.batch(), config.epochs());

        // (2)
        ModelSpec spec = new ModelSpec(config.layerSpecs(), loss, config.optimizer().spec(), config.l1(), config.l2(),
                config.clipNorm());
        TensorShape input = inputShape(config, encoder.width());
        CompiledModel model;
        try {
            TrainStepCompiler.Options options = TrainStepCompiler.Options.TRAINING.withExampleWeights(weights.isPresent());
            if (dp != null) options = options.withPrivacy(dp.compiled());
            model = TrainStepCompiler.compile(spec, input, train.outputs(), options);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("layers", e.getMessage() + " (input " + input + ", " + classes.size() + " classes)");
        }

        // (3)
        Device device = Device.parse(config.device() != null ? config.device() : context.device());
        TrainConfig trainConfig = new TrainConfig(config.epochs(), config.batch(), context.seed(), schedule(config),
                Optional.ofNullable(config.earlyStopping()).map(e -> new EarlyStopping(e.monitor(), e.patience(), e.minDelta())),
                device, config.threads()).withStepsPerCall(config.stepsPerCall());
        if (dp != null) trainConfig = trainConfig.withPrivacy(dp.noise());
        LOG.debug("stage {}: {} with {} on {} ({} train rows, {} validation rows, seed {}, device {})",
                context.stageId(), TYPE, config, data.path(), train.rows(), val.rows(), context.seed(), device);
        context.progress().update("epochs", 0, config.epochs());
        TrainingResult result = Trainer.train(model, train, val, trainConfig, m -> epochDone(m, config, context));
        if (result.history().size() < config.epochs()) {
            // Early stopping ended it: the unit is done, so say so (the epochs left will not run).
            context.progress().update("epochs", config.epochs(), config.epochs());
        }

        // (4)
        String modelType = config.convolutional() ? "cnn" : "mlp";
        String description = "Candor " + TYPE + " " + config + ", seed " + context.seed();
        ModelMetadata metadata = new ModelMetadata(modelType, GraphNames.INFER_INPUT, GraphNames.PROBABILITIES, classes,
                encoder, data.sha256(), description);
        ModelProto graph = InferenceGraph.build(model, result.values());
        if (loss.kind() == LossSpec.Kind.MSE) graph = ScoresAsProbabilities.normalize(graph, GraphNames.PROBABILITIES);
        Map<String, String> properties = new LinkedHashMap<>(metadata.toProperties());
        properties.putAll(NnArchitecture.of(config).toProperties());
        ModelProto proto = withMetadata(graph, properties);
        byte[] bytes = proto.toByteArray();
        Path file = context.outputDir().resolve(ModelMetadata.MODEL_FILE);
        Files.write(file, bytes);

        double trainAccuracy = accuracy(bytes, train, config.threads());
        EpochMetrics best = result.history().get(result.bestEpoch());
        context.metrics().record("train_accuracy", trainAccuracy, Split.TRAIN.label());
        if (loss.kind() != LossSpec.Kind.MSE) context.metrics().record("val_accuracy", best.valAccuracy(), Split.VALIDATION.label());
        context.metrics().record("val_loss", best.valLoss(), Split.VALIDATION.label());
        // Under train.tribuo's names too: the registry's evaluation view shows "accuracy" per split.
        context.metrics().record("accuracy", trainAccuracy, Split.TRAIN.label());
        if (loss.kind() != LossSpec.Kind.MSE) context.metrics().record("accuracy", best.valAccuracy(), Split.VALIDATION.label());
        context.metrics().record("epochs_run", result.history().size(), null);
        context.metrics().record("best_epoch", result.bestEpoch() + 1, null);
        context.metrics().record("parameters", model.params().stream().mapToLong(p -> p.size()).sum(), null);
        if (dp != null) dp.record(result.steps(), config.earlyStopping() != null, context);
        LOG.info("stage {}: {} epochs on {} ({} train steps/s), best epoch {}: val loss {}, val accuracy {}",
                context.stageId(), result.history().size(), result.device(),
                String.format(Locale.ROOT, "%.0f", result.stepsPerSecond()), result.bestEpoch() + 1,
                best.valLoss(), best.valAccuracy());

        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("model_type", modelType);
        facts.put("features", Integer.toString(encoder.width()));
        facts.put("classes", String.join(",", classes));
        facts.put("train_rows", Integer.toString(train.rows()));
        facts.put("validation_rows", Integer.toString(val.rows()));
        facts.put("epochs_run", Integer.toString(result.history().size()));
        facts.put("best_epoch", Integer.toString(result.bestEpoch() + 1));
        facts.put("train_accuracy", Double.toString(trainAccuracy));
        facts.put("validation_accuracy", Double.toString(best.valAccuracy()));
        facts.put("device", result.device());
        facts.put("onnx_bytes", Integer.toString(bytes.length));
        if (weights.isPresent()) facts.put("example_weights", "yes");
        if (dp != null) facts.putAll(dp.facts(result.steps()));
        String summary = String.format(Locale.ROOT, "%s %s on %d rows × %d features, %d classes; %d epochs (best %d),"
                        + " validation accuracy %.4f", modelType, config.layers(), train.rows(), encoder.width(),
                classes.size(), result.history().size(), result.bestEpoch() + 1, best.valAccuracy());
        return new StageOutput(summary, facts);
    }

    /** Progress and the learning-curve points of one epoch (1-based in the slice, as users count epochs). */
    private static void epochDone(EpochMetrics m, OnnxTrainConfig config, StageContext context) {
        String slice = "epoch=" + (m.epoch() + 1);
        context.metrics().record("train_loss", m.trainLoss(), Split.TRAIN.label(), slice);
        context.metrics().record("val_loss", m.valLoss(), Split.VALIDATION.label(), slice);
        if (!Double.isNaN(m.valAccuracy())) {
            context.metrics().record("val_accuracy", m.valAccuracy(), Split.VALIDATION.label(), slice);
        }
        context.progress().update("epochs", m.epoch() + 1, config.epochs());
    }

    /** The loss with one weight per class, in class order (classes the config leaves out weigh 1). */
    private static LossSpec loss(OnnxTrainConfig config, List<String> classes) {
        LossSpec.Kind kind = LossSpec.parse(config.loss(), List.of()).kind();
        if (kind == LossSpec.Kind.BINARY_CROSS_ENTROPY && classes.size() != 2) {
            throw new ConfigException("loss", "binary-cross-entropy needs a label with 2 classes, but it has "
                    + classes.size() + " " + classes + "; use cross-entropy");
        }
        for (String c : config.classWeights().keySet()) {
            if (!classes.contains(c)) {
                throw new ConfigException("class_weights", "names class '" + c + "', which the label does not have;"
                        + " its classes are " + classes);
            }
        }
        List<Double> weights = new ArrayList<>();
        if (!config.classWeights().isEmpty()) for (String c : classes) weights.add(config.classWeights().getOrDefault(c, 1.0));
        return new LossSpec(kind, weights);
    }

    private static Schedule schedule(OnnxTrainConfig config) {
        OnnxTrainConfig.LrSchedule s = config.schedule();
        Schedule.Kind kind = Schedule.Kind.valueOf(s.kind().toUpperCase(Locale.ROOT));
        return new Schedule(kind, s.stepEpochs(), s.gamma(), s.minLr(), s.warmupEpochs());
    }

    private static TensorShape inputShape(OnnxTrainConfig config, int features) {
        if (config.inputShape().isEmpty()) return TensorShape.of(features);
        TensorShape shape = new TensorShape(config.inputShape());
        if (shape.size() != features) {
            throw new ConfigException("input_shape", shape + " holds " + shape.size() + " values but the dataset has "
                    + features + " encoded features; give a shape whose product is " + features);
        }
        return shape;
    }

    /**
     * Rows encoded for the trainer. Targets: one-hot classes, or for binary cross-entropy 1 when the row's class
     * is the second (the inference graph's column 1 is its probability).
     */
    private static NnData encode(FeatureEncoder encoder, DatasetSchema schema, List<DatasetRow> rows, String[] labels,
                                 List<String> classes, LossSpec loss) {
        int[] columns = encoder.columnIndexes(schema);
        int width = encoder.width();
        if ((long) rows.size() * width > Integer.MAX_VALUE - 8) {
            throw new SizeLimitException(String.format("the train split has %,d rows of %,d encoded features, more values"
                    + " than one array holds (%,d): train on fewer rows or fewer features", rows.size(), width,
                    Integer.MAX_VALUE - 8));
        }
        float[] x = new float[rows.size() * width];
        float[] row = new float[width];
        int[] y = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            encoder.encode(rows.get(r).values(), columns, row);
            System.arraycopy(row, 0, x, r * width, width);
            y[r] = classes.indexOf(labels[r]);
        }
        if (loss.kind() == LossSpec.Kind.BINARY_CROSS_ENTROPY) {
            float[] t = new float[y.length];
            for (int r = 0; r < y.length; r++) t[r] = y[r];
            return new NnData(x, t, y.length, width, 1);
        }
        return NnData.classes(x, y, width, classes.size());
    }

    /** Arg-max accuracy of the exported model on {@code data}, run on the CPU: it checks the file as others will load it. */
    private static double accuracy(byte[] onnx, NnData data, int threads) {
        SessionSettings settings = SessionSettings.defaults().withDevice(Device.CPU).withIntraOpThreads(threads);
        try (OpenSession s = OrtSessions.open(onnx, settings);
             OnnxTensor x = OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(data.x()),
                     new long[] {data.rows(), data.inputs()});
             OrtSession.Result r = s.session().run(Map.of(GraphNames.INFER_INPUT, x))) {
            float[][] p = (float[][]) r.get(0).getValue();
            int correct = 0;
            for (int i = 0; i < data.rows(); i++) {
                int predicted = argmax(p[i]);
                int actual = data.outputs() == 1 ? (data.y()[i] >= 0.5f ? 1 : 0) : argmaxRow(data.y(), i, data.outputs());
                if (predicted == actual) correct++;
            }
            return correct / (double) data.rows();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot run the exported model: " + e.getMessage(), e);
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) if (v[j] > v[best]) best = j;
        return best;
    }

    private static int argmaxRow(float[] v, int row, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) if (v[row * k + j] > v[row * k + best]) best = j;
        return best;
    }

    private static ModelProto withMetadata(ModelProto model, Map<String, String> properties) {
        ModelProto.Builder b = model.toBuilder().clearMetadataProps();
        properties.forEach((k, v) -> b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return b.build();
    }
}

package dev.candor.stages.explain;

import dev.candor.gpu.session.Device;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.internal.BeamRuns;
import dev.candor.stages.internal.ModelInputs;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code explain.lime}: LIME explanations (Ribeiro, Singh &amp; Guestrin 2016) for a sample of one split's rows, each
 * with its fidelity (the surrogate's weighted R² near the row), and their global summary (mean |weight| per feature
 * and class, mean and worst fidelity).
 *
 * <p>Steps: (1) open the model and check the data fit it; (2) take up to {@code training_rows} train rows for the
 * features' spread; (3) take up to {@code rows} rows of the split (a seeded sample when it holds more), each with its
 * own seed derived from the stage seed and its source row; (4) explain them in a Beam pipeline, rows fanned out over
 * workers, one ONNX Runtime session per DoFn instance; (5) write {@code lime.json} and record the summary.
 *
 * <p>The surrogate is fitted on the model's probabilities over encoded features in standardized units; a source
 * column's weight is the sum of its encoded features' weights (one feature for a numeric column).
 */
public final class LimeStage implements Stage<LimeConfig> {
    public static final String TYPE = "explain.lime";
    private static final Logger LOG = LoggerFactory.getLogger(LimeStage.class);
    private static final String ROWS_PREFIX = "rows";

    @Override public String type() { return TYPE; }

    @Override public String description() {
        return "Explains a model's predictions per row with LIME surrogates (with their fidelity, the weighted R²)"
                + " and summarizes them as mean |weight| per feature and class";
    }

    @Override public Class<LimeConfig> configType() { return LimeConfig.class; }

    @Override public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the model to explain"),
                InputPort.exactlyOne(ArtifactKind.DATASET, "the data whose rows are explained (spread from its train split)"));
    }

    @Override public ArtifactKind output() { return ArtifactKind.EXPLANATION; }

    @Override public List<String> results(LimeConfig config) {
        return List.of("lime.fidelity_mean", "lime.fidelity_min", "explained_rows");
    }

    @Override
    public StageOutput run(LimeConfig config, StageContext context) throws Exception {
        InputArtifact modelArtifact = context.input(ArtifactKind.MODEL);
        InputArtifact dataArtifact = context.input(ArtifactKind.DATASET);
        Device device = Device.parse(context.device());

        // (1)
        ModelInputs.Probed probed = ModelInputs.probe(modelArtifact, device);
        ModelMetadata model = probed.metadata();
        DatasetSchema schema = Datasets.readSchema(dataArtifact.path());
        ModelInputs.checkCompatible(model, schema, modelArtifact, dataArtifact);
        int[] explained = ShapStage.classIndexes(config.classes(), model, modelArtifact);
        List<String> classNames = new ArrayList<>();
        for (int k : explained) classNames.add(model.labels().get(k));
        FeatureEncoder encoder = model.encoder();
        int[] columns = encoder.columnIndexes(schema);
        List<ShapJson.Player> players = ShapStage.players(encoder);
        List<int[]> playerColumns = ShapStage.playerColumns(encoder, players);

        // (2), (3)
        SplittableRandom seeds = new SplittableRandom(context.seed());
        long sampleSeed = seeds.nextLong();
        long trainSeed = seeds.nextLong();
        long rowSeeds = seeds.nextLong();
        List<DatasetRow> train = ShapStage.sample(ShapStage.rowsOf(dataArtifact, Split.TRAIN, "LIME takes the"
                + " features' spread from the train split; give it rows at ingestion"), config.trainingRows(), trainSeed);
        if (train.size() < 2) {
            throw new DataException(dataArtifact.path().resolve(Split.TRAIN.fileName()).toString(),
                    0, null, null, "the train split of dataset '" + dataArtifact.producer() + "' has " + train.size()
                    + " row; LIME needs at least 2 for the features' spread");
        }
        float[][] training = new float[train.size()][];
        for (int i = 0; i < training.length; i++) training[i] = ShapStage.encode(encoder, columns, train.get(i));
        String split = config.split().label();
        List<DatasetRow> splitRows = ShapStage.rowsOf(dataArtifact, config.split(), "explain another split (split:"
                + " test, validation or train)");
        List<DatasetRow> chosen = ShapStage.sample(splitRows, config.rows(), sampleSeed);
        List<ShapRows.Input> inputs = new ArrayList<>(chosen.size());
        for (DatasetRow r : chosen) inputs.add(new ShapRows.Input(r.sourceRow(),
                ShapStage.rowSeed(rowSeeds, r.sourceRow()), ShapStage.encode(encoder, columns, r)));
        LOG.debug("{} {}: model {} ({}), dataset {} split {} ({} of {} rows), {} train rows for the spread, device {}"
                        + " on {}, config {}", TYPE, context.stageId(), modelArtifact.producer(), modelArtifact.sha256(),
                dataArtifact.producer(), split, inputs.size(), splitRows.size(), training.length, device,
                probed.where(), config);

        // (4)
        LimeRowsFn.Spec spec = new LimeRowsFn.Spec(probed.file().toString(), device.toString(), model.inputName(),
                model.probabilitiesOutput(), model.labels(), encoder.names(), playerColumns, explained, training,
                config.samples(), config.kernelWidth());
        Path scratch = context.scratchDir().resolve("lime");
        Files.createDirectories(scratch);
        long started = System.nanoTime();
        Pipeline pipeline = Pipeline.create(BeamRuns.watchedOptions(context));
        pipeline.apply("RowsToExplain", Create.of(inputs).withCoder(SerializableCoder.of(ShapRows.Input.class)))
                .apply("Lime", ParDo.of(new LimeRowsFn(spec)))
                .setCoder(SerializableCoder.of(LimeRows.Explained.class))
                .apply("RowsToJson", MapElements.into(TypeDescriptors.strings()).via(LimeRows::toJson))
                .apply("WriteRows", TextIO.write().to(scratch.resolve(ROWS_PREFIX).toString()).withSuffix(".jsonl"));
        BeamRuns.runWatched(pipeline, context, LimeRowsFn.NAMESPACE, LimeRowsFn.ROWS_COUNTER, "rows", inputs.size(),
                "explanation");
        double seconds = (System.nanoTime() - started) / 1e9;
        List<LimeRows.Explained> rows = ExplainedRows.readAll(scratch, ROWS_PREFIX, LimeRows.Explained.class,
                LimeRows.Explained::sourceRow);
        if (rows.size() != inputs.size()) {
            throw new IllegalStateException(inputs.size() + " rows were sent to be explained but " + rows.size()
                    + " came back");
        }
        context.progress().update("rows", rows.size(), inputs.size());

        // (5) Summaries from the rows in source-row order, so the same seed gives the same numbers bit for bit.
        double[][] meanAbs = meanAbs(rows, explained.length, players.size());
        double fidelityMean = rows.stream().mapToDouble(LimeRows.Explained::meanFidelity).sum() / rows.size();
        double fidelityMin = rows.stream().mapToDouble(r -> min(r.fidelity())).min().orElse(Double.NaN);
        Path out = context.outputDir().resolve(LimeJson.FILE);
        LimeJson.write(out, new LimeJson.Content(
                new ShapJson.Artifact(modelArtifact.producer(), modelArtifact.sha256(), model.modelType()),
                new ShapJson.Artifact(dataArtifact.producer(), dataArtifact.sha256(), null), split, splitRows.size(),
                training.length, config.samples(), config.kernelWidth() > 0 ? config.kernelWidth()
                        : 0.75 * Math.sqrt(encoder.width()), classNames, players, meanAbs, fidelityMean, fidelityMin,
                rows, config.top(), context.seed()));
        if (!Files.isRegularFile(out)) throw new IllegalStateException(TYPE + " did not write " + out);
        var sink = context.metrics();
        for (int k = 0; k < classNames.size(); k++) {
            for (int p = 0; p < players.size(); p++) {
                sink.record("lime_mean_abs_weight", meanAbs[k][p], split,
                        "feature=" + players.get(p).column() + ",class=" + classNames.get(k));
            }
        }
        sink.record("lime.fidelity_mean", fidelityMean, split);
        sink.record("lime.fidelity_min", fidelityMin, split);
        sink.record("explained_rows", rows.size(), split);

        int k = classNames.size() - 1;   // the last class: the positive one of a binary model
        int best = ShapJson.top(meanAbs[k], 1).get(0);
        String text = String.format(Locale.ROOT, "%d %s rows explained with LIME (%d samples each) in %.1f s (%.1f"
                        + " rows/s); fidelity (weighted R²) mean %.3f, min %.3f; top for %s: %s (mean |weight| %.3g)",
                rows.size(), split, config.samples(), seconds, rows.size() / Math.max(seconds, 1e-9), fidelityMean,
                fidelityMin, classNames.get(k), players.get(best).column(), meanAbs[k][best]);
        LOG.debug("{} {}: {}; wrote {}", TYPE, context.stageId(), text, out);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("split", split);
        metadata.put("rows", Integer.toString(rows.size()));
        metadata.put("method", "lime");
        metadata.put("classes", String.join(",", classNames));
        return new StageOutput(text, metadata);
    }

    /** Mean |weight| per class and player, summed exactly so that the result does not depend on rounding order. */
    static double[][] meanAbs(List<LimeRows.Explained> rows, int classes, int players) {
        double[][] mean = new double[classes][players];
        if (rows.isEmpty()) return mean;
        BigDecimal n = BigDecimal.valueOf(rows.size());
        for (int k = 0; k < classes; k++) {
            for (int p = 0; p < players; p++) {
                BigDecimal s = BigDecimal.ZERO;
                for (LimeRows.Explained r : rows) s = s.add(new BigDecimal(Math.abs(r.weights()[k][p])));
                mean[k][p] = s.divide(n, MathContext.DECIMAL64).doubleValue();
            }
        }
        return mean;
    }

    private static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) m = Math.min(m, v);
        return m;
    }
}

package dev.candor.stages.explain;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.explain.importance.PermutationImportance;
import dev.candor.explain.shap.Players;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code explain.importance}: permutation feature importance (Breiman 2001; Fisher, Rudin &amp; Dominici 2019) over
 * one split, through ONNX Runtime: for each source column, the drop of the score when its values are shuffled across
 * rows, repeated with independent seeded shuffles; the mean drop is the importance and the standard deviation of the
 * drops its spread.
 *
 * <p>Steps: (1) open the model and check the data fit it; (2) read the split (a seeded sample when it holds more than
 * {@code rows}), encode the rows and map their labels to the model's classes; (3) score the unshuffled rows and each
 * column's shuffles; (4) write {@code importance.json} and record the importances.
 *
 * <p>A one-hot column's indicators are shuffled together, so every shuffled row still holds one valid category.
 * The work is one pass of whole-split batches per shuffle, which ONNX Runtime spreads over its own threads; rows are
 * not fanned out over Beam workers because every shuffle needs the whole split.
 */
public final class ImportanceStage implements Stage<ImportanceConfig> {
    public static final String TYPE = "explain.importance";
    static final String FILE = "importance.json";
    private static final Logger LOG = LoggerFactory.getLogger(ImportanceStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH_ROWS = 8192;

    @Override public String type() { return TYPE; }

    @Override public String description() {
        return "Measures each feature's global importance as the drop of accuracy (or log loss) when its values are"
                + " shuffled, with the spread over repeated shuffles";
    }

    @Override public Class<ImportanceConfig> configType() { return ImportanceConfig.class; }

    @Override public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the model whose features are ranked"),
                InputPort.exactlyOne(ArtifactKind.DATASET, "the labelled data it is scored on"));
    }

    @Override public ArtifactKind output() { return ArtifactKind.EXPLANATION; }

    @Override public List<String> results(ImportanceConfig config) {
        return List.of("permutation.baseline_score", "permutation.max_importance");
    }

    @Override
    public StageOutput run(ImportanceConfig config, StageContext context) throws Exception {
        InputArtifact modelArtifact = context.input(ArtifactKind.MODEL);
        InputArtifact dataArtifact = context.input(ArtifactKind.DATASET);
        Device device = Device.parse(context.device());

        // (1)
        ModelInputs.Probed probed = ModelInputs.probe(modelArtifact, device);
        ModelMetadata model = probed.metadata();
        DatasetSchema schema = Datasets.readSchema(dataArtifact.path());
        ModelInputs.checkCompatible(model, schema, modelArtifact, dataArtifact);
        FeatureEncoder encoder = model.encoder();
        int[] columns = encoder.columnIndexes(schema);
        List<ShapJson.Player> players = ShapStage.players(encoder);
        Players groups = new Players(players.stream().map(ShapJson.Player::column).toList(),
                ShapStage.playerColumns(encoder, players));

        // (2)
        SplittableRandom seeds = new SplittableRandom(context.seed());
        long sampleSeed = seeds.nextLong();
        long shuffleSeed = seeds.nextLong();
        String split = config.split().label();
        List<DatasetRow> splitRows = ShapStage.rowsOf(dataArtifact, config.split(), "score another split (split:"
                + " test, validation or train)");
        List<DatasetRow> chosen = ShapStage.sample(splitRows, config.rows(), sampleSeed);
        float[][] x = new float[chosen.size()][];
        int[] labels = new int[chosen.size()];
        int labelColumn = schema.labelIndex();
        Path splitFile = dataArtifact.path().resolve(config.split().fileName());
        for (int i = 0; i < x.length; i++) {
            DatasetRow r = chosen.get(i);
            x[i] = ShapStage.encode(encoder, columns, r);
            String label = String.valueOf(r.values()[labelColumn]);
            labels[i] = model.labels().indexOf(label);
            if (labels[i] < 0) {
                throw new DataException(splitFile.toString(), r.sourceRow(), schema.label(), label, "a class of model '"
                        + modelArtifact.producer() + "' " + model.labels() + "; score data labelled with the"
                        + " model's classes");
            }
        }
        LOG.debug("{} {}: model {} ({}), dataset {} split {} ({} of {} rows), device {} on {}, config {}", TYPE,
                context.stageId(), modelArtifact.producer(), modelArtifact.sha256(), dataArtifact.producer(), split,
                x.length, splitRows.size(), device, probed.where(), config);

        // (3)
        PermutationImportance.Score score = config.score() == ImportanceConfig.Score.ACCURACY
                ? PermutationImportance.ACCURACY : PermutationImportance.NEGATIVE_LOG_LOSS;
        long started = System.nanoTime();
        PermutationImportance.Result result;
        try (OnnxPredictor predictor = OnnxPredictor.open(probed.file(), new OnnxPredictor.Options(model.inputName(),
                model.probabilitiesOutput(), model.labels(), BATCH_ROWS,
                SessionSettings.defaults().withDevice(device)))) {
            result = PermutationImportance.compute(predictor, x, labels, groups, score,
                    new PermutationImportance.Options(config.repeats(), BATCH_ROWS, shuffleSeed));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long scored = (long) x.length * (1 + (long) config.repeats() * players.size());
        context.progress().update("features", players.size(), players.size());

        // (4)
        Path out = context.outputDir().resolve(FILE);
        write(out, modelArtifact, dataArtifact, model, split, splitRows.size(), x.length, config, result,
                context.seed());
        if (!Files.isRegularFile(out)) throw new IllegalStateException(TYPE + " did not write " + out);
        var sink = context.metrics();
        for (PermutationImportance.Importance f : result.features()) {
            sink.record("permutation_importance", f.mean(), split, "feature=" + f.name());
            sink.record("permutation_importance_spread", f.std(), split, "feature=" + f.name());
        }
        PermutationImportance.Importance top = result.features().stream()
                .max(Comparator.comparingDouble(PermutationImportance.Importance::mean)).orElseThrow();
        sink.record("permutation.baseline_score", result.baseline(), split);
        sink.record("permutation.max_importance", top.mean(), split);

        String text = String.format(Locale.ROOT, "permutation importance of %d features on %d %s rows (%s %.4f, %d"
                        + " repeats) in %.1f s (%.0f rows scored/s); top: %s (drop %.4f ± %.4f)", players.size(),
                x.length, split, config.score().label(), result.baseline(), config.repeats(), seconds,
                scored / Math.max(seconds, 1e-9), top.name(), top.mean(), top.std());
        LOG.debug("{} {}: {}; wrote {}", TYPE, context.stageId(), text, out);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("split", split);
        metadata.put("rows", Integer.toString(x.length));
        metadata.put("method", "permutation");
        metadata.put("score", config.score().label());
        return new StageOutput(text, metadata);
    }

    private static void write(Path file, InputArtifact modelArtifact, InputArtifact dataArtifact, ModelMetadata model,
                              String split, long splitRows, int rows, ImportanceConfig config,
                              PermutationImportance.Result result, long seed) throws java.io.IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("method", "permutation");
        root.put("note", "A feature's importance is the mean drop of the " + config.score().label() + " over "
                + config.repeats() + " shuffles of its values across the rows; spread is the standard deviation of"
                + " the drops. A negative or near-zero importance means the model does not rely on the feature on"
                + " these rows (or relies on a correlated one instead).");
        root.set("model", LimeJson.artifact(new ShapJson.Artifact(modelArtifact.producer(), modelArtifact.sha256(),
                model.modelType())));
        root.set("dataset", LimeJson.artifact(new ShapJson.Artifact(dataArtifact.producer(), dataArtifact.sha256(),
                null)));
        root.put("split", split);
        root.put("split_rows", splitRows);
        root.put("rows", rows);
        root.put("score", config.score().label());
        root.put("repeats", config.repeats());
        root.put("seed", seed);
        root.put("baseline_score", result.baseline());
        ArrayNode features = root.putArray("features");
        result.features().stream()
                .sorted(Comparator.comparingDouble((PermutationImportance.Importance f) -> -f.mean())
                        .thenComparing(PermutationImportance.Importance::name))
                .forEach(f -> {
                    ObjectNode o = features.addObject();
                    o.put("feature", f.name());
                    o.put("importance", f.mean());
                    o.put("spread", f.std());
                    ArrayNode drops = o.putArray("drops");
                    f.drops().forEach(drops::add);
                });
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        JSON.writer(printer).writeValue(file.toFile(), root);
    }
}

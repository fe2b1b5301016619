package dev.candor.stages.explain;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.candor.explain.shap.Background;
import dev.candor.explain.shap.KernelShap;
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
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code explain.shap}: SHAP values (Lundberg &amp; Lee 2017) for a sample of one split's rows, per class and per
 * source column, and their global summary (mean |SHAP| per column and class).
 *
 * <p>Steps: (1) open the model and check the data fit it; (2) choose the method: TreeSHAP (Lundberg et al. 2020,
 * path-dependent, over the raw ensemble score read back from the ONNX tree ensemble) for tree models, KernelSHAP (over
 * the model's probabilities through ONNX Runtime, with a background summarized from the train split) otherwise;
 * (3) take up to {@code rows} rows of the split (a seeded sample when it holds more) and encode them with the model's
 * encoder; (4) explain them in a Beam pipeline, rows fanned out over workers, one explainer per DoFn instance, and
 * sum |values| with an order-independent combiner; (5) write {@code explanations.json} and record the summary and a
 * sample of rows' top features.
 *
 * <p>Players are source columns: a one-hot categorical's indicators form one player, so its value is the effect of
 * the category as a whole.
 */
public final class ShapStage implements Stage<ShapConfig> {
    public static final String TYPE = "explain.shap";
    /** Rows (the first, by source row) whose top features go to the registry. */
    static final int REGISTRY_SAMPLE_ROWS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(ShapStage.class);
    static final String ROWS_PREFIX = "rows";
    private static final String SUMMARY_FILE = "summary";

    @Override public String type() { return TYPE; }

    @Override public String description() {
        return "Explains a model's predictions with SHAP values per row (TreeSHAP for tree models, KernelSHAP"
                + " otherwise) and summarizes them as mean |SHAP| per feature and class";
    }

    @Override public Class<ShapConfig> configType() { return ShapConfig.class; }

    @Override public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the model to explain"),
                InputPort.exactlyOne(ArtifactKind.DATASET, "the data whose rows are explained (background from its train split)"));
    }

    @Override public ArtifactKind output() { return ArtifactKind.EXPLANATION; }

    /** How many rows were explained and the model evaluations each cost (per-feature values are sliced). */
    @Override public List<String> results(ShapConfig config) {
        return List.of("explained_rows", "model_evaluations_per_row");
    }

    @Override
    public StageOutput run(ShapConfig config, StageContext context) throws Exception {
        InputArtifact modelArtifact = context.input(ArtifactKind.MODEL);
        InputArtifact dataArtifact = context.input(ArtifactKind.DATASET);
        Device device = Device.parse(context.device());

        // (1)
        ModelInputs.Probed probed = ModelInputs.probe(modelArtifact, device);
        ModelMetadata model = probed.metadata();
        DatasetSchema schema = Datasets.readSchema(dataArtifact.path());
        ModelInputs.checkCompatible(model, schema, modelArtifact, dataArtifact);
        int[] explained = classIndexes(config, model, modelArtifact);
        List<String> explainedNames = new ArrayList<>();
        for (int k : explained) explainedNames.add(model.labels().get(k));

        // (2)
        ModelProto proto = OnnxTrees.parse(probed.file());
        boolean isTree = OnnxTrees.isTreeEnsemble(proto);
        boolean tree = switch (config.method()) {
            case AUTO -> isTree;
            case KERNEL -> false;
            case TREE -> {
                if (!isTree) {
                    throw new ConfigException("method", "is tree but model '" + modelArtifact.producer() + "' ("
                            + model.modelType() + ") is not a tree ensemble; use method: kernel (or auto)");
                }
                yield true;
            }
        };
        String postTransform = tree
                ? OnnxTrees.read(proto, model.labels().size(), probed.file().toString()).postTransform() : "";
        FeatureEncoder encoder = model.encoder();
        int[] columns = encoder.columnIndexes(schema);
        List<ShapJson.Player> players = players(encoder);
        List<int[]> playerColumns = playerColumns(encoder, players);

        // (3)
        String split = config.split().label();
        List<DatasetRow> splitRows = rowsOf(dataArtifact, config.split(), "explain another split (split: test,"
                + " validation or train)");
        SplittableRandom seeds = new SplittableRandom(context.seed());
        long sampleSeed = seeds.nextLong();
        long backgroundSeed = seeds.nextLong();
        long rowSeeds = seeds.nextLong();
        List<DatasetRow> chosen = sample(splitRows, config.rows(), sampleSeed);
        List<ShapRows.Input> inputs = new ArrayList<>(chosen.size());
        for (DatasetRow r : chosen) inputs.add(new ShapRows.Input(r.sourceRow(), rowSeed(rowSeeds, r.sourceRow()),
                encode(encoder, columns, r)));

        Background background = null;
        String coalitions = null;
        if (!tree) {
            Kernel kernel = kernel(dataArtifact, encoder, columns, players.size(), config.background(),
                    config.backgroundMethod(), config.samples(), backgroundSeed);
            background = kernel.background();
            coalitions = kernel.coalitions();
        }
        LOG.debug("{} {}: model {} ({}), dataset {} split {} ({} of {} rows), method {}, device {} on {}, config {}",
                TYPE, context.stageId(), modelArtifact.producer(), modelArtifact.sha256(), dataArtifact.producer(),
                split, inputs.size(), splitRows.size(), tree ? "tree" : "kernel", device, probed.where(), config);

        // (4)
        ExplainRowsFn.Spec spec = new ExplainRowsFn.Spec(tree, probed.file().toString(), device.toString(),
                model.inputName(), model.probabilitiesOutput(), model.labels(), encoder.names(),
                players.stream().map(ShapJson.Player::column).toList(), playerColumns, explained,
                background == null ? new float[0] : background.rows(),
                background == null ? new double[0] : background.weights(), config.samples());
        Path scratch = context.scratchDir().resolve("shap");
        Files.createDirectories(scratch);
        long started = System.nanoTime();
        explain(context, spec, inputs, explained.length, players.size(), scratch);
        double seconds = (System.nanoTime() - started) / 1e9;
        List<ShapRows.Explained> rows = ExplainedRows.readAll(scratch, ROWS_PREFIX, ShapRows.Explained.class,
                ShapRows.Explained::sourceRow);
        if (rows.size() != inputs.size()) {
            throw new IllegalStateException(inputs.size() + " rows were sent to be explained but " + rows.size()
                    + " came back");
        }
        MeanAbsShap.Summary summary = ShapRows.readSummary(scratch.resolve(SUMMARY_FILE + ".json"));
        context.progress().update("rows", rows.size(), inputs.size());

        // (5)
        String outputSpace = tree ? "raw_score" : "probability";
        Path out = context.outputDir().resolve(ShapJson.FILE);
        ShapJson.write(out, new ShapJson.Content(tree ? "tree" : "kernel",
                rows.isEmpty() ? "" : algorithm(tree, players.size()), outputSpace, note(tree, postTransform),
                new ShapJson.Artifact(modelArtifact.producer(), modelArtifact.sha256(), model.modelType()),
                new ShapJson.Artifact(dataArtifact.producer(), dataArtifact.sha256(), null),
                split, splitRows.size(),
                tree ? null : new ShapJson.Background(Split.TRAIN.label(), config.backgroundMethod().label(),
                        background.size(), coalitions),
                explainedNames, players, summary, rows, config.top(), context.seed()));
        if (!Files.isRegularFile(out)) throw new IllegalStateException(TYPE + " did not write " + out);
        double evaluations = rows.stream().mapToLong(ShapRows.Explained::modelEvaluations).average().orElse(0);
        record(context, split, explainedNames, players, summary, rows, config.top(), evaluations);

        String text = summaryLine(rows.size(), split, tree, coalitions, background, seconds, explainedNames, players,
                summary);
        LOG.debug("{} {}: {}; wrote {}", TYPE, context.stageId(), text, out);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("split", split);
        metadata.put("rows", Integer.toString(rows.size()));
        metadata.put("method", tree ? "tree" : "kernel");
        metadata.put("output_space", outputSpace);
        metadata.put("classes", String.join(",", explainedNames));
        return new StageOutput(text, metadata);
    }

    /** KernelSHAP's background (from the train split) and a description of the coalitions each row costs. */
    record Kernel(Background background, String coalitions) { }

    /**
     * KernelSHAP's background: {@code size} rows of the train split, sampled or summarized by k-means with
     * {@code seed}, and the coalition budget for {@code players} players, checked against {@code samples}.
     */
    static Kernel kernel(InputArtifact data, FeatureEncoder encoder, int[] columns, int players, int size,
                         ShapConfig.BackgroundMethod method, int samples, long seed) {
        List<DatasetRow> train = rowsOf(data, Split.TRAIN, "KernelSHAP draws its background from the train split;"
                + " give it rows at ingestion");
        float[][] encoded = new float[train.size()][];
        for (int i = 0; i < encoded.length; i++) encoded[i] = encode(encoder, columns, train.get(i));
        Background background = method == ShapConfig.BackgroundMethod.KMEANS
                ? Background.kMeans(encoded, size, seed)
                : Background.sample(encoded, size, seed);
        KernelShap.Options defaults = KernelShap.Options.defaults().withSampleBudget(samples);
        if (players <= defaults.maxExactPlayers()) {
            return new Kernel(background, "all " + ((1 << players) - 2) + " (exact, " + players + " features)");
        }
        if (defaults.budgetFor(players) < 2 * players) {
            throw new ConfigException("samples", "is " + samples + " but " + players + " features need at least "
                    + (2 * players) + " coalitions; raise it or leave it out (default " + (2 * players + 2048) + ")");
        }
        return new Kernel(background, defaults.budgetFor(players) + " sampled (" + players + " features)");
    }

    /** Explains {@code inputs} on Beam; the rows ({@code rows*.jsonl}) and the summary go to {@code scratch}. */
    static void explain(StageContext context, ExplainRowsFn.Spec spec, List<ShapRows.Input> inputs,
                                int classes, int players, Path scratch) {
        Pipeline pipeline = Pipeline.create(BeamRuns.watchedOptions(context));
        PCollection<ShapRows.Explained> explained = pipeline
                .apply("RowsToExplain", Create.of(inputs).withCoder(SerializableCoder.of(ShapRows.Input.class)))
                .apply("Explain", ParDo.of(new ExplainRowsFn(spec)))
                .setCoder(SerializableCoder.of(ShapRows.Explained.class));
        explained.apply("RowsToJson", MapElements.into(TypeDescriptors.strings()).via(ShapRows::toJson))
                .apply("WriteRows", TextIO.write().to(scratch.resolve(ROWS_PREFIX).toString()).withSuffix(".jsonl"));
        explained.apply("MeanAbsShap", Combine.globally(new MeanAbsShap(classes, players)))
                .apply("SummaryToJson", MapElements.into(TypeDescriptors.strings()).via(ShapRows::toJson))
                .apply("WriteSummary", TextIO.write().to(scratch.resolve(SUMMARY_FILE).toString())
                        .withSuffix(".json").withoutSharding());
        BeamRuns.runWatched(pipeline, context, ExplainRowsFn.NAMESPACE, ExplainRowsFn.ROWS_COUNTER, "rows",
                inputs.size(), "explanation");
    }

    /** The indexes of the classes to explain: the configured ones in model order, or all. */
    private static int[] classIndexes(ShapConfig config, ModelMetadata model, InputArtifact modelArtifact) {
        return classIndexes(config.classes(), model, modelArtifact);
    }

    /** The indexes of {@code classes} in model order, or of all the model's classes when the list is empty. */
    static int[] classIndexes(List<String> classes, ModelMetadata model, InputArtifact modelArtifact) {
        if (classes.isEmpty()) {
            int[] all = new int[model.labels().size()];
            for (int k = 0; k < all.length; k++) all[k] = k;
            return all;
        }
        for (String c : classes) {
            if (!model.labels().contains(c)) {
                throw new ConfigException("classes", "'" + c + "' is not a class of model '" + modelArtifact.producer()
                        + "'; its classes are " + model.labels());
            }
        }
        return java.util.stream.IntStream.range(0, model.labels().size())
                .filter(k -> classes.contains(model.labels().get(k))).toArray();
    }

    /** One player per source column, in the order the model's features first name it. */
    static List<ShapJson.Player> players(FeatureEncoder encoder) {
        Map<String, List<String>> byColumn = new LinkedHashMap<>();
        encoder.features().forEach(f -> byColumn.computeIfAbsent(f.column(), c -> new ArrayList<>()).add(f.name()));
        List<ShapJson.Player> players = new ArrayList<>();
        byColumn.forEach((column, features) -> players.add(new ShapJson.Player(column, List.copyOf(features))));
        return List.copyOf(players);
    }

    /** Per player, the indexes of its encoded features in the model's input. */
    static List<int[]> playerColumns(FeatureEncoder encoder, List<ShapJson.Player> players) {
        List<int[]> out = new ArrayList<>();
        for (ShapJson.Player p : players) {
            out.add(java.util.stream.IntStream.range(0, encoder.width())
                    .filter(i -> encoder.features().get(i).column().equals(p.column())).toArray());
        }
        return List.copyOf(out);
    }

    /** A split's rows in source-row order, so the sample does not depend on how ingestion ordered the file. */
    static List<DatasetRow> rowsOf(InputArtifact data, Split split, String fix) {
        Path file = data.path().resolve(split.fileName());
        if (!Files.isRegularFile(file)) {
            throw new DataException(file.toString(), 0, null, null, "dataset '" + data.producer() + "' has no "
                    + split.label() + " split file; " + fix);
        }
        List<DatasetRow> rows = new ArrayList<>(Datasets.readSplit(data.path(), split));
        if (rows.isEmpty()) {
            throw new DataException(file.toString(), 0, null, null, "the " + split.label() + " split of dataset '"
                    + data.producer() + "' has no rows; " + fix);
        }
        rows.sort(Comparator.comparingLong(DatasetRow::sourceRow));
        return rows;
    }

    /** {@code limit} rows drawn without replacement (all when there are fewer), back in source-row order. */
    static List<DatasetRow> sample(List<DatasetRow> rows, int limit, long seed) {
        if (rows.size() <= limit) return rows;
        List<DatasetRow> pool = new ArrayList<>(rows);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < limit; i++) {
            int j = i + random.nextInt(pool.size() - i);
            DatasetRow t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        List<DatasetRow> chosen = new ArrayList<>(pool.subList(0, limit));
        chosen.sort(Comparator.comparingLong(DatasetRow::sourceRow));
        return chosen;
    }

    static long rowSeed(long base, long sourceRow) {
        return new SplittableRandom(base ^ (0x9E3779B97F4A7C15L * (sourceRow + 1))).nextLong();
    }

    static float[] encode(FeatureEncoder encoder, int[] columns, DatasetRow row) {
        float[] x = new float[encoder.width()];
        encoder.encode(row.values(), columns, x);
        return x;
    }

    static String algorithm(boolean tree, int players) {
        if (tree) return "TREE_PATH_DEPENDENT";
        return players <= KernelShap.Options.defaults().maxExactPlayers() ? "KERNEL_EXACT" : "KERNEL_SAMPLED";
    }

    private static String note(boolean tree, String postTransform) {
        if (!tree) {
            return "Values are in probability units: for each class they sum to the model's probability for the row"
                    + " minus the mean probability over the background rows (interventional KernelSHAP).";
        }
        String space = postTransform.equals("NONE")
                ? "the ensemble applies no post-transform, so the raw score is the class probability itself"
                : "the raw score is the margin before the ensemble's " + postTransform.toLowerCase(Locale.ROOT)
                        + " post-transform, not a probability";
        return "Values explain the tree ensemble's raw score (summed leaf values): " + space + ". For each class they"
                + " sum to the row's raw score minus its expected value under the training covers (path-dependent"
                + " TreeSHAP); a one-hot column's value is the sum of its indicators' values (efficient, though not"
                + " the column's Shapley value as a single player).";
    }

    private static void record(StageContext context, String split, List<String> classes, List<ShapJson.Player> players,
                               MeanAbsShap.Summary summary, List<ShapRows.Explained> rows, int top, double evaluations) {
        var sink = context.metrics();
        for (int k = 0; k < classes.size(); k++) {
            for (int p = 0; p < players.size(); p++) {
                sink.record("mean_abs_shap", summary.meanAbs()[k][p], split,
                        "feature=" + players.get(p).column() + ",class=" + classes.get(k));
            }
        }
        sink.record("explained_rows", rows.size(), split);
        sink.record("model_evaluations_per_row", evaluations, split);
        for (ShapRows.Explained e : rows.subList(0, Math.min(REGISTRY_SAMPLE_ROWS, rows.size()))) {
            for (int k = 0; k < classes.size(); k++) {
                String row = "row=" + e.sourceRow() + ",class=" + classes.get(k);
                sink.record("shap_base", e.base()[k], split, row);
                sink.record("shap_prediction", e.prediction()[k], split, row);
                for (int p : ShapJson.top(e.values()[k], top)) {
                    sink.record("shap_value", e.values()[k][p], split, row + ",feature=" + players.get(p).column());
                }
            }
        }
    }

    /** "114 test rows explained with KernelSHAP (...) in 2.1 s (54 rows/s); top for malignant: worst_radius 0.041". */
    private static String summaryLine(int rows, String split, boolean tree, String coalitions, Background background,
                                      double seconds, List<String> classes, List<ShapJson.Player> players,
                                      MeanAbsShap.Summary summary) {
        StringBuilder sb = new StringBuilder();
        sb.append(rows).append(' ').append(split).append(" rows explained with ");
        if (tree) {
            sb.append("TreeSHAP (raw score)");
        } else {
            sb.append("KernelSHAP (").append(coalitions).append(" coalitions × ").append(background.size())
                    .append(" background rows)");
        }
        sb.append(String.format(Locale.ROOT, " in %.1f s (%.1f rows/s)", seconds, rows / Math.max(seconds, 1e-9)));
        int k = classes.size() - 1;   // the last class: the positive one of a binary model
        int best = ShapJson.top(summary.meanAbs()[k], 1).get(0);
        sb.append(String.format(Locale.ROOT, "; top for %s: %s (mean |SHAP| %.3g)", classes.get(k),
                players.get(best).column(), summary.meanAbs()[k][best]));
        return sb.toString();
    }
}

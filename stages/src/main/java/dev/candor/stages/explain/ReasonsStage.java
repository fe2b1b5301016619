package dev.candor.stages.explain;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.candor.explain.reasons.ReasonCodes;
import dev.candor.explain.shap.LinearShap;
import dev.candor.explain.shap.Players;
import dev.candor.explain.shap.ShapValues;
import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.internal.ModelInputs;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import dev.candor.stages.spi.Suggestions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code explain.reasons}: reason codes for adverse credit decisions (the "principal reasons" of an adverse-action
 * notice): for each row the model rejects, the source columns that pushed its score toward rejection, strongest
 * first, each with a statement a person can read.
 *
 * <p>Steps: (1) open the model, check the data fit it and the configured class and statement columns are the
 * model's; (2) take up to {@code rows} rows of the split (a seeded sample when it holds more), score them through
 * ONNX Runtime and keep the adverse ones, P(adverse) &gt;= threshold; (3) explain only those, on the paths
 * {@code explain.shap} uses: path-dependent TreeSHAP over the adverse class's raw score for a tree ensemble; the
 * closed form LinearSHAP (Lundberg &amp; Lee 2017) in log-odds when the model's adverse log-odds is linear in its
 * input (a logistic regression: probed and checked on the rows, see {@link LinearMargin}), with the means of the
 * train split; KernelSHAP over the adverse probability otherwise, background from the train split; (4) rank each
 * row's positive contributions with {@link ReasonCodes} (a feature that helped the applicant is never a reason) and
 * write {@code reasons.json} and how often each feature is a principal reason.
 */
public final class ReasonsStage implements Stage<ReasonsConfig> {
    public static final String TYPE = "explain.reasons";
    private static final Logger LOG = LoggerFactory.getLogger(ReasonsStage.class);

    @Override public String type() { return TYPE; }

    @Override public String description() {
        return "Reason codes for adverse decisions: per rejected row, the features that pushed its score toward"
                + " rejection, strongest first, with readable statements (TreeSHAP, LinearSHAP or KernelSHAP)";
    }

    @Override public Class<ReasonsConfig> configType() { return ReasonsConfig.class; }

    @Override public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the model whose decisions are explained"),
                InputPort.exactlyOne(ArtifactKind.DATASET, "the data whose rows are decided (means and background"
                        + " from its train split)"));
    }

    @Override public ArtifactKind output() { return ArtifactKind.EXPLANATION; }

    /** Adverse rows and rows decided on the split; how often each feature is a reason is sliced by feature. */
    @Override public List<String> results(ReasonsConfig config) {
        return List.of("reasons.adverse_rows", "reasons.rows");
    }

    /** How the adverse rows were explained: the method, its values and what they measure. */
    private record Explained(String method, String algorithm, ShapValues.OutputSpace space, String note,
                             ShapJson.Background background, Map<Long, ShapValues> values) { }

    @Override
    public StageOutput run(ReasonsConfig config, StageContext context) throws Exception {
        InputArtifact modelArtifact = context.input(ArtifactKind.MODEL);
        InputArtifact dataArtifact = context.input(ArtifactKind.DATASET);
        Device device = Device.parse(context.device());

        // (1)
        ModelInputs.Probed probed = ModelInputs.probe(modelArtifact, device);
        ModelMetadata model = probed.metadata();
        DatasetSchema schema = Datasets.readSchema(dataArtifact.path());
        ModelInputs.checkCompatible(model, schema, modelArtifact, dataArtifact);
        int adverse = model.labels().indexOf(config.adverseClass());
        if (adverse < 0) {
            throw new ConfigException("adverse_class", "'" + config.adverseClass() + "' is not a class of model '"
                    + modelArtifact.producer() + "'; " + Suggestions.suggestValue(config.adverseClass(), model.labels()));
        }
        FeatureEncoder encoder = model.encoder();
        int[] columns = encoder.columnIndexes(schema);
        List<ShapJson.Player> players = ShapStage.players(encoder);
        List<String> playerNames = players.stream().map(ShapJson.Player::column).toList();
        List<int[]> playerColumns = ShapStage.playerColumns(encoder, players);
        for (String column : config.statements().keySet()) {
            if (!playerNames.contains(column)) {
                throw new ConfigException("statements", "names column '" + column + "', which is not a feature of"
                        + " model '" + modelArtifact.producer() + "'; " + Suggestions.suggestValue(column, playerNames));
            }
        }

        // (2)
        String split = config.split().label();
        List<DatasetRow> splitRows = ShapStage.rowsOf(dataArtifact, config.split(), "decide another split (split:"
                + " test, validation or train)");
        SplittableRandom seeds = new SplittableRandom(context.seed());
        long sampleSeed = seeds.nextLong();
        long backgroundSeed = seeds.nextLong();
        long rowSeeds = seeds.nextLong();
        List<DatasetRow> chosen = ShapStage.sample(splitRows, config.rows(), sampleSeed);
        List<float[]> encoded = new ArrayList<>(chosen.size());
        for (DatasetRow r : chosen) encoded.add(ShapStage.encode(encoder, columns, r));
        ModelProto proto = OnnxTrees.parse(probed.file());
        boolean isTree = OnnxTrees.isTreeEnsemble(proto);
        if (config.method() == ShapConfig.Method.TREE && !isTree) {
            throw new ConfigException("method", "is tree but model '" + modelArtifact.producer() + "' ("
                    + model.modelType() + ") is not a tree ensemble; use method: kernel (or auto)");
        }
        boolean tree = isTree && config.method() != ShapConfig.Method.KERNEL;
        float[][] probabilities;
        Optional<LinearMargin> linear;
        try (OnnxPredictor predictor = OnnxPredictor.open(probed.file(), new OnnxPredictor.Options(model.inputName(),
                model.probabilitiesOutput(), model.labels(), OnnxPredictor.Options.DEFAULT_BATCH,
                SessionSettings.defaults().withDevice(device)))) {
            probabilities = predictor.predict(encoded.toArray(float[][]::new));
            linear = tree || config.method() == ShapConfig.Method.KERNEL ? Optional.empty() : LinearMargin.probe(predictor, encoder.width(), adverse, encoded);
        }
        List<ShapRows.Input> adverseRows = new ArrayList<>();
        Map<Long, Double> pAdverse = new LinkedHashMap<>();
        for (int i = 0; i < chosen.size(); i++) {
            if (probabilities[i][adverse] >= config.threshold()) {
                long source = chosen.get(i).sourceRow();
                adverseRows.add(new ShapRows.Input(source, ShapStage.rowSeed(rowSeeds, source), encoded.get(i)));
                pAdverse.put(source, (double) probabilities[i][adverse]);
            }
        }
        LOG.debug("{} {}: model {} ({}), dataset {} split {} ({} of {} rows, {} adverse), method {}, config {}",
                TYPE, context.stageId(), modelArtifact.producer(), modelArtifact.sha256(), dataArtifact.producer(),
                split, chosen.size(), splitRows.size(), adverseRows.size(),
                tree ? "tree" : linear.isPresent() ? "linear" : "kernel", config);

        // (3)
        long started = System.nanoTime();
        Explained explained;
        if (tree) {
            explained = treeOrKernel(context, config, true, proto, probed, model, dataArtifact, encoder, columns,
                    players, playerColumns, adverse, adverseRows, backgroundSeed);
        } else if (linear.isPresent()) {
            explained = linear(linear.get(), dataArtifact, encoder, columns, playerNames, playerColumns,
                    config.adverseClass(), adverseRows);
        } else {
            explained = treeOrKernel(context, config, false, proto, probed, model, dataArtifact, encoder, columns,
                    players, playerColumns, adverse, adverseRows, backgroundSeed);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        // (4)
        List<ReasonsJson.Row> rows = new ArrayList<>();
        Map<String, Integer> listed = new LinkedHashMap<>();
        playerNames.forEach(p -> listed.put(p, 0));
        for (ShapRows.Input r : adverseRows) {
            ShapValues v = explained.values().get(r.sourceRow());
            List<ReasonCodes.Reason> reasons = ReasonCodes.top(v, config.adverseClass(), true, config.top(),
                    config.statements());
            reasons.forEach(reason -> listed.merge(reason.feature(), 1, Integer::sum));
            rows.add(new ReasonsJson.Row(r.sourceRow(), pAdverse.get(r.sourceRow()), v.base()[0], v.prediction()[0],
                    reasons));
        }
        Map<String, Double> frequency = new LinkedHashMap<>();
        listed.forEach((f, n) -> frequency.put(f, rows.isEmpty() ? 0.0 : (double) n / rows.size()));
        String space = explained.space().name().toLowerCase(Locale.ROOT);
        Path out = context.outputDir().resolve(ReasonsJson.FILE);
        ReasonsJson.write(out, new ReasonsJson.Content(explained.method(), explained.algorithm(), space,
                explained.note(), new ShapJson.Artifact(modelArtifact.producer(), modelArtifact.sha256(),
                        model.modelType()),
                new ShapJson.Artifact(dataArtifact.producer(), dataArtifact.sha256(), null), split, splitRows.size(),
                chosen.size(), config.adverseClass(), config.threshold(), config.top(), explained.background(),
                frequency, rows, context.seed()));
        if (!Files.isRegularFile(out)) throw new IllegalStateException(TYPE + " did not write " + out);

        var sink = context.metrics();
        sink.record("reasons.adverse_rows", rows.size(), split);
        sink.record("reasons.rows", chosen.size(), split);
        if (!rows.isEmpty()) frequency.forEach((f, share) -> sink.record("reason_frequency", share, split, "feature=" + f));

        String most = frequency.entrySet().stream().max(Map.Entry.<String, Double>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).filter(e -> e.getValue() > 0)
                .map(e -> String.format(Locale.ROOT, "; most frequent reason: %s (%.0f%% of adverse rows)", e.getKey(),
                        100 * e.getValue())).orElse("");
        String text = String.format(Locale.ROOT, "%d of %d %s rows adverse (P(%s) >= %s); up to %d reasons each by %s"
                        + " (%s) in %.1f s%s", rows.size(), chosen.size(), split, config.adverseClass(),
                config.threshold(), config.top(), explained.method(), space, seconds, most);
        LOG.debug("{} {}: {}; wrote {}", TYPE, context.stageId(), text, out);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("split", split);
        metadata.put("rows", Integer.toString(chosen.size()));
        metadata.put("adverse_rows", Integer.toString(rows.size()));
        metadata.put("adverse_class", config.adverseClass());
        metadata.put("method", explained.method());
        metadata.put("output_space", space);
        return new StageOutput(text, metadata);
    }

    /** TreeSHAP or KernelSHAP for the adverse class, on explain.shap's Beam path. */
    private static Explained treeOrKernel(StageContext context, ReasonsConfig config, boolean tree, ModelProto proto,
                                          ModelInputs.Probed probed, ModelMetadata model, InputArtifact data,
                                          FeatureEncoder encoder, int[] columns, List<ShapJson.Player> players,
                                          List<int[]> playerColumns, int adverse, List<ShapRows.Input> inputs,
                                          long backgroundSeed) throws Exception {
        ShapStage.Kernel kernel = tree ? null : ShapStage.kernel(data, encoder, columns, players.size(),
                config.background(), config.backgroundMethod(), config.samples(), backgroundSeed);
        List<String> playerNames = players.stream().map(ShapJson.Player::column).toList();
        String adverseClass = model.labels().get(adverse);
        Map<Long, ShapValues> values = new LinkedHashMap<>();
        String algorithm = ShapStage.algorithm(tree, players.size());
        ShapValues.OutputSpace space = tree ? ShapValues.OutputSpace.RAW_SCORE : ShapValues.OutputSpace.PROBABILITY;
        String post = tree ? OnnxTrees.read(proto, model.labels().size(), probed.file().toString()).postTransform() : "";
        // Two classes under a softmax: P(adverse) = sigmoid(s_adverse - s_other), so what moves the decision is the
        // difference of the two classes' raw scores, not the adverse score alone.
        boolean contrast = tree && model.labels().size() == 2 && post.equalsIgnoreCase("SOFTMAX");
        int other = 1 - adverse;
        if (!inputs.isEmpty()) {
            ExplainRowsFn.Spec spec = new ExplainRowsFn.Spec(tree, probed.file().toString(), context.device(),
                    model.inputName(), model.probabilitiesOutput(), model.labels(), encoder.names(), playerNames,
                    playerColumns, contrast ? new int[] {adverse, other} : new int[] {adverse},
                    kernel == null ? new float[0] : kernel.background().rows(),
                    kernel == null ? new double[0] : kernel.background().weights(), config.samples());
            Path scratch = context.scratchDir().resolve("reasons");
            Files.createDirectories(scratch);
            ShapStage.explain(context, spec, inputs, contrast ? 2 : 1, players.size(), scratch);
            List<ShapRows.Explained> rows = ExplainedRows.readAll(scratch, ShapStage.ROWS_PREFIX,
                    ShapRows.Explained.class, ShapRows.Explained::sourceRow);
            if (rows.size() != inputs.size()) {
                throw new IllegalStateException(inputs.size() + " adverse rows were sent to be explained but "
                        + rows.size() + " came back");
            }
            for (ShapRows.Explained e : rows) {
                double[][] v = e.values();
                double[] base = e.base();
                double[] prediction = e.prediction();
                if (contrast) {
                    double[] diff = new double[v[0].length];
                    for (int j = 0; j < diff.length; j++) diff[j] = v[0][j] - v[1][j];
                    v = new double[][] {diff};
                    base = new double[] {base[0] - base[1]};
                    prediction = new double[] {prediction[0] - prediction[1]};
                }
                values.put(e.sourceRow(), new ShapValues(List.of(adverseClass), playerNames, v, base, prediction,
                        ShapValues.Method.valueOf(algorithm), space, e.modelEvaluations()));
            }
        }
        String note;
        if (contrast) {
            note = "Contributions are path-dependent TreeSHAP values (Lundberg et al. 2020) of the difference between"
                    + " the tree ensemble's raw scores for '" + adverseClass + "' and '" + model.labels().get(other)
                    + "' (P('" + adverseClass + "') is the logistic function of that difference under the ensemble's"
                    + " softmax), per source column.";
        } else if (tree) {
            note = "Contributions are path-dependent TreeSHAP values (Lundberg et al. 2020) of the tree ensemble's raw"
                    + " score for class '" + adverseClass + "' (summed leaf values, before its "
                    + post.toLowerCase(Locale.ROOT) + " post-transform), per source column.";
        } else {
            note = "Contributions are KernelSHAP values (Lundberg & Lee 2017) of the model's probability of class '"
                    + adverseClass + "', against a background from the train split, per source column.";
        }
        ShapJson.Background background = kernel == null ? null : new ShapJson.Background(Split.TRAIN.label(),
                config.backgroundMethod().label(), kernel.background().size(), kernel.coalitions());
        return new Explained(tree ? "tree" : "kernel", algorithm, space, note + ONLY_ADVERSE, background, values);
    }

    private static final String ONLY_ADVERSE = " Only features that pushed the score toward rejection (a positive"
            + " contribution) are listed, strongest first; a feature that helped the applicant is never a reason.";

    /** LinearSHAP of the adverse log-odds, with the means of the encoded train split. */
    private static Explained linear(LinearMargin margin, InputArtifact data, FeatureEncoder encoder, int[] columns,
                                    List<String> playerNames, List<int[]> playerColumns, String adverseClass,
                                    List<ShapRows.Input> inputs) {
        List<DatasetRow> train = ShapStage.rowsOf(data, Split.TRAIN, "LinearSHAP takes the feature means from the"
                + " train split; give it rows at ingestion");
        double[] means = new double[encoder.width()];
        for (DatasetRow r : train) {
            float[] x = ShapStage.encode(encoder, columns, r);
            for (int j = 0; j < x.length; j++) means[j] += x[j];
        }
        for (int j = 0; j < means.length; j++) means[j] /= train.size();
        LinearShap shap = LinearShap.logistic(margin.weights(), margin.intercept(), means,
                new Players(playerNames, playerColumns));
        Map<Long, ShapValues> values = new LinkedHashMap<>();
        for (ShapRows.Input r : inputs) {
            ShapValues v = shap.explain(r.features());
            values.put(r.sourceRow(), new ShapValues(List.of(adverseClass), v.playerNames(), v.values(), v.base(),
                    v.prediction(), v.method(), v.outputSpace(), 0));
        }
        String note = "The model's log-odds of class '" + adverseClass + "' is linear in its encoded input (checked on"
                + " the decided rows), so contributions are exact LinearSHAP values (Lundberg & Lee 2017) in log-odds:"
                + " w_i (x_i - mean_i) with the train split's means, summed per source column.";
        return new Explained("linear", "LINEAR", ShapValues.OutputSpace.LOG_ODDS, note + ONLY_ADVERSE, null, values);
    }
}

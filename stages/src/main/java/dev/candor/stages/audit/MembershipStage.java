package dev.candor.stages.audit;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.explain.privacy.AttackResult;
import dev.candor.explain.privacy.MembershipInference;
import dev.candor.gpu.session.Device;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.internal.ModelInputs;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import dev.candor.stages.train.TrainingLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code audit.membership}: a membership-inference audit of a model. Scores a seeded sample of its training rows
 * (members) and as many held-out rows (non-members) through ONNX Runtime, and runs the loss-threshold (Yeom et al.
 * 2018) and confidence-threshold (Salem et al. 2019) attacks of {@link MembershipInference}.
 *
 * <p>Records, with no split and no slice: {@code membership_advantage}, {@code membership_auc} and
 * {@code membership_tpr_at_1pct_fpr} (each the worst, i.e. highest, over the attacks),
 * {@code membership.<attack>.<auc|advantage|tpr_at_1pct_fpr>}, {@code membership.members} and
 * {@code membership.non_members}. Writes {@code membership.json} with each attack's definition, threshold and
 * notes. An advantage near 0 and an AUC near 0.5 mean the outputs give members away no better than a coin.
 */
public final class MembershipStage implements Stage<MembershipConfig> {
    public static final String TYPE = "audit.membership";
    public static final String FILE = "membership.json";
    private static final Logger LOG = LoggerFactory.getLogger(MembershipStage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RESULTS = List.of("membership_advantage", "membership_auc",
            "membership_tpr_at_1pct_fpr", "membership.members", "membership.non_members",
            "membership.loss_threshold.auc", "membership.loss_threshold.advantage",
            "membership.loss_threshold.tpr_at_1pct_fpr", "membership.confidence_threshold.auc",
            "membership.confidence_threshold.advantage", "membership.confidence_threshold.tpr_at_1pct_fpr");

    @Override public String type() { return TYPE; }

    @Override public String description() {
        return "Membership-inference audit: how well the model's outputs tell its training rows from held-out rows";
    }

    @Override public Class<MembershipConfig> configType() { return MembershipConfig.class; }

    @Override public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.MODEL, "the model to audit"),
                InputPort.exactlyOne(ArtifactKind.DATASET, "the data it was trained on, with a held-out split"));
    }

    @Override public ArtifactKind output() { return ArtifactKind.EVALUATION; }

    @Override public List<String> results(MembershipConfig config) { return RESULTS; }

    @Override
    public StageOutput run(MembershipConfig config, StageContext context) throws Exception {
        InputArtifact modelArtifact = context.input(ArtifactKind.MODEL);
        InputArtifact data = context.input(ArtifactKind.DATASET);
        Device device = Device.parse(context.device());
        ModelInputs.Probed probed = ModelInputs.probe(modelArtifact, device);
        ModelMetadata model = probed.metadata();
        DatasetSchema schema = Datasets.readSchema(data.path());
        ModelInputs.checkCompatible(model, schema, modelArtifact, data);
        if (!model.trainingDataSha256().equals(data.sha256())) {
            context.findings().warn("privacy.membership_other_data", data.producer(), "model '"
                    + modelArtifact.producer() + "' was trained on data with hash " + model.trainingDataSha256()
                    + ", not on dataset '" + data.producer() + "' (" + data.sha256() + "); its train rows may not be"
                    + " the model's members, so the audit may understate the leak: audit the model against the"
                    + " dataset it was trained on");
        }

        SplittableRandom random = new SplittableRandom(context.seed());
        List<DatasetRow> train = split(data, Split.TRAIN);
        List<DatasetRow> held = split(data, config.nonMembers());
        int n = Math.min(config.rows(), Math.min(train.size(), held.size()));
        List<DatasetRow> members = sample(train, n, random.split());
        List<DatasetRow> nonMembers = sample(held, n, random.split());
        LOG.debug("stage {}: {} of model {} on dataset {}: {} members (of {}), {} non-members (of {} {}), device {}",
                context.stageId(), TYPE, modelArtifact.producer(), data.producer(), n, train.size(), n, held.size(),
                config.nonMembers().label(), probed.where());

        double[][] pm = RowScorer.probabilities(probed.file(), device, model, schema, members);
        double[][] pn = RowScorer.probabilities(probed.file(), device, model, schema, nonMembers);
        int[] ym = classes(model, schema, members, data, Split.TRAIN);
        int[] yn = classes(model, schema, nonMembers, data, config.nonMembers());
        List<AttackResult> attacks = List.of(
                MembershipInference.lossAttack(trueClass(pm, ym), trueClass(pn, yn)),
                MembershipInference.confidenceAttack(confidence(pm), confidence(pn)));

        double advantage = 0, auc = 0, tpr = 0;
        for (AttackResult a : attacks) {
            String prefix = "membership." + a.attack() + ".";
            context.metrics().record(prefix + "auc", a.auc(), null);
            context.metrics().record(prefix + "advantage", a.advantage(), null);
            context.metrics().record(prefix + "tpr_at_1pct_fpr", a.tprAtLowFpr(), null);
            advantage = Math.max(advantage, a.advantage());
            auc = Math.max(auc, a.auc());
            tpr = Math.max(tpr, a.tprAtLowFpr());
            for (String note : a.notes()) context.findings().info("privacy.membership_note", a.attack(), note);
        }
        context.metrics().record("membership_advantage", advantage, null);
        context.metrics().record("membership_auc", auc, null);
        context.metrics().record("membership_tpr_at_1pct_fpr", tpr, null);
        context.metrics().record("membership.members", n, null);
        context.metrics().record("membership.non_members", n, null);

        Path out = context.outputDir().resolve(FILE);
        write(out, modelArtifact, data, config, n, train.size(), held.size(), context.seed(), attacks, advantage, auc,
                tpr);
        if (!Files.isRegularFile(out)) throw new IllegalStateException(TYPE + " did not write " + out);
        String summary = String.format(Locale.ROOT, "%d members vs %d %s non-members: membership advantage %.3f,"
                + " attack AUC %.3f, TPR at 1%% FPR %.3f", n, n, config.nonMembers().label(), advantage, auc, tpr);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("members", Integer.toString(n));
        metadata.put("non_members", Integer.toString(n));
        metadata.put("membership_advantage", Double.toString(advantage));
        metadata.put("membership_auc", Double.toString(auc));
        return new StageOutput(summary, metadata);
    }

    private static List<DatasetRow> split(InputArtifact data, Split split) {
        Path file = data.path().resolve(split.fileName());
        List<DatasetRow> rows = Files.isRegularFile(file) ? Datasets.readSplit(data.path(), split) : List.of();
        if (rows.isEmpty()) {
            throw new DataException(file.toString(), 0, null, null, "the " + split.label() + " split of dataset '"
                    + data.producer() + "' has no rows; the audit needs training rows and held-out rows"
                    + (split == Split.TRAIN ? "" : " (choose non_members: test or validation, whichever has rows)"));
        }
        return rows;
    }

    /** {@code n} rows drawn without replacement (a partial Fisher–Yates shuffle), kept in their file order. */
    static List<DatasetRow> sample(List<DatasetRow> rows, int n, SplittableRandom random) {
        int[] idx = new int[rows.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, n);
        Arrays.sort(chosen);
        List<DatasetRow> out = new ArrayList<>(n);
        for (int i : chosen) out.add(rows.get(i));
        return out;
    }

    private static int[] classes(ModelMetadata model, DatasetSchema schema, List<DatasetRow> rows, InputArtifact data,
                                 Split split) {
        String[] names = TrainingLabels.names(schema, rows, data.path().resolve(split.fileName()).toString());
        int[] out = new int[names.length];
        for (int i = 0; i < out.length; i++) out[i] = model.labels().indexOf(names[i]);
        return out;
    }

    private static double[] trueClass(double[][] p, int[] y) {
        double[] out = new double[y.length];
        for (int i = 0; i < out.length; i++) out[i] = clamp(p[i][y[i]]);
        return out;
    }

    private static double[] confidence(double[][] p) {
        double[] out = new double[p.length];
        for (int i = 0; i < out.length; i++) out[i] = clamp(Arrays.stream(p[i]).max().orElse(0));
        return out;
    }

    /** Float probabilities may stray a hair outside [0, 1]. */
    private static double clamp(double v) {
        return Math.min(1.0, Math.max(0.0, v));
    }

    private static void write(Path file, InputArtifact model, InputArtifact data, MembershipConfig config, int n,
                              int trainRows, int heldRows, long seed, List<AttackResult> attacks, double advantage,
                              double auc, double tpr) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("model").put("producer", model.producer()).put("sha256", model.sha256());
        root.putObject("dataset").put("producer", data.producer()).put("sha256", data.sha256());
        ObjectNode sample = root.putObject("sample");
        sample.put("members", n);
        sample.put("members_from", "train split (" + trainRows + " rows)");
        sample.put("non_members", n);
        sample.put("non_members_from", config.nonMembers().label() + " split (" + heldRows + " rows)");
        sample.put("method", "equal numbers drawn without replacement from each split, seeded");
        sample.put("seed", seed);
        ObjectNode worst = root.putObject("worst");
        worst.put("membership_advantage", advantage);
        worst.put("membership_auc", auc);
        worst.put("membership_tpr_at_1pct_fpr", tpr);
        worst.put("definition", "the highest value over the attacks below (the strongest attacker)");
        ArrayNode list = root.putArray("attacks");
        for (AttackResult a : attacks) {
            ObjectNode node = list.addObject();
            node.put("attack", a.attack());
            node.put("definition", a.definition());
            node.put("members", a.members());
            node.put("non_members", a.nonMembers());
            node.put("auc", a.auc());
            node.put("advantage", a.advantage());
            if (Double.isInfinite(a.advantageThreshold())) node.putNull("advantage_threshold");
            else node.put("advantage_threshold", a.advantageThreshold());
            node.put("tpr_at_1pct_fpr", a.tprAtLowFpr());
            node.put("fpr_budget", a.fprBudget());
            ArrayNode notes = node.putArray("notes");
            a.notes().forEach(notes::add);
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        JSON.writer(printer).writeValue(file.toFile(), root);
    }
}

package dev.candor.stages.fairness;

import dev.candor.explain.fairness.ProtectedAttribute;
import dev.candor.explain.fairness.Reweighing;
import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.InputPort;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageContext;
import dev.candor.stages.spi.StageOutput;
import dev.candor.stages.train.TrainingLabels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fairness.reweigh}: dataset in, the same dataset out with one more column of role
 * {@link ColumnRole#WEIGHT}, computed by {@link Reweighing} on the train split for one protected attribute
 * (w = P(A=a)·P(Y=y)/P(A=a,Y=y)); validation and test rows weigh 1, so evaluation is unweighted. Trainers that
 * honour weights then learn as if the label were independent of the attribute.
 *
 * <p>The splits are small enough to hold in memory (one column is appended; rows keep their order). Split files are
 * written with a sync marker derived from the input artifact's hash, so the same input gives the same bytes.
 * Records {@code reweigh.weight} per cell (slice {@code <attr>=<group>,label=<class>}) and
 * {@code reweigh.total_weight} on the train split; an empty cell is a warning finding.
 */
public final class ReweighStage implements Stage<ReweighConfig> {
    public static final String TYPE = "fairness.reweigh";
    private static final Logger LOG = LoggerFactory.getLogger(ReweighStage.class);

    @Override public String type() { return TYPE; }

    @Override public String description() {
        return "Adds a weight column (reweighing, Kamiran & Calders 2012) that makes the training labels independent"
                + " of a protected attribute";
    }

    @Override public Class<ReweighConfig> configType() { return ReweighConfig.class; }

    @Override public List<InputPort> inputs() {
        return List.of(InputPort.exactlyOne(ArtifactKind.DATASET, "the data to reweigh"));
    }

    @Override public ArtifactKind output() { return ArtifactKind.DATASET; }

    @Override public List<String> results(ReweighConfig config) {
        return List.of("reweigh.total_weight");
    }

    @Override
    public StageOutput run(ReweighConfig config, StageContext context) throws IOException {
        InputArtifact data = context.input(ArtifactKind.DATASET);
        DatasetSchema schema = Datasets.readSchema(data.path());
        String schemaFile = data.path().resolve(Datasets.SCHEMA_FILE).toString();
        String where = "dataset '" + data.producer() + "'";
        if (schema.columns().stream().anyMatch(c -> c.role() == ColumnRole.WEIGHT)) {
            throw new DataException(schemaFile, 0, null, null, "dataset '" + data.producer() + "' already has a"
                    + " weight column; a dataset carries at most one: reweigh the dataset before any other weighting");
        }
        if (schema.columns().stream().anyMatch(c -> c.name().equals(config.column()))) {
            throw new ConfigException("column", "dataset '" + data.producer() + "' already has a column named '"
                    + config.column() + "'; choose another name for the weight column");
        }
        String favourable = config.favourable() != null ? config.favourable() : schema.classes().get(0);
        if (!schema.classes().contains(favourable)) {
            throw new ConfigException("favourable", "'" + favourable + "' is not a class of dataset '"
                    + data.producer() + "'; its classes are " + schema.classes());
        }
        if (config.favourable() == null && schema.classes().size() > 2) {
            throw new ConfigException("favourable", "dataset '" + data.producer() + "' has " + schema.classes().size()
                    + " classes " + schema.classes() + "; name the favourable one (reweighing balances favourable"
                    + " against the rest)");
        }

        List<DatasetRow> train = Datasets.readSplit(data.path(), Split.TRAIN);
        String trainFile = data.path().resolve(Split.TRAIN.fileName()).toString();
        if (train.isEmpty()) {
            throw new DataException(trainFile, 0, null, null, "the train split has no rows to reweigh");
        }
        String[] labels = TrainingLabels.names(schema, train, trainFile);
        boolean[] fav = new boolean[labels.length];
        for (int i = 0; i < fav.length; i++) fav[i] = labels[i].equals(favourable);
        ProtectedAttribute groups = ProtectedGroups.single(schema, config.attribute(), config.bins(), train,
                "the train split of " + where);
        Reweighing.Result result = Reweighing.weights(groups, fav);
        double[] weights = result.weights();

        List<ColumnSchema> columns = new ArrayList<>(schema.columns());
        columns.add(new ColumnSchema(config.column(), ColumnType.NUMERIC, ColumnRole.WEIGHT, false, List.of()));
        DatasetSchema out = new DatasetSchema(schema.source(), schema.sha256(), columns, schema.label(),
                schema.classes());
        Path dir = context.outputDir();
        Datasets.writeSchema(dir, out);
        Path statistics = data.path().resolve(Datasets.STATISTICS_FILE);
        if (Files.isRegularFile(statistics)) Files.copy(statistics, dir.resolve(Datasets.STATISTICS_FILE));
        double total = 0;
        for (Split split : Split.values()) {
            if (!Files.isRegularFile(data.path().resolve(split.fileName()))) continue;
            List<DatasetRow> rows = split == Split.TRAIN ? train : Datasets.readSplit(data.path(), split);
            List<DatasetRow> weighted = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Object[] v = Arrays.copyOf(rows.get(i).values(), rows.get(i).values().length + 1);
                // An empty cell's weight is NaN but no row has it; every row here belongs to a non-empty cell.
                v[v.length - 1] = split == Split.TRAIN ? weights[i] : 1.0;
                weighted.add(new DatasetRow(rows.get(i).sourceRow(), v));
            }
            write(dir.resolve(split.fileName()), out, weighted, sync(data.sha256(), split));
        }
        for (double w : weights) total += w;

        String slicePrefix = config.attribute() + "=";
        for (Reweighing.Cell cell : result.cells()) {
            String label = cell.favourable() ? favourable : "not " + favourable;
            String slice = slicePrefix + cell.group() + ",label=" + label;
            if (cell.rows() == 0) {
                if (groups.groups().contains(cell.group()) && groupRows(result, cell.group()) > 0) {
                    context.findings().warn("fairness.reweigh_empty_cell", slice, "no train row of group "
                            + slicePrefix + cell.group() + " has label " + label + ", so reweighing cannot balance"
                            + " this group: its weighted favourable rate stays " + (cell.favourable() ? "0" : "1")
                            + "; merge it with another group (bins) or collect more data");
                }
                continue;
            }
            context.metrics().record("reweigh.weight", cell.weight(), Split.TRAIN.label(), slice);
            context.metrics().record("reweigh.rows", cell.rows(), Split.TRAIN.label(), slice);
        }
        context.metrics().record("reweigh.total_weight", total, Split.TRAIN.label());
        for (Split s : Split.values()) {
            if (!Files.isRegularFile(dir.resolve(s.fileName()))) {
                throw new IllegalStateException(TYPE + " did not write " + dir.resolve(s.fileName()));
            }
        }
        String summary = String.format(Locale.ROOT, "%d train rows reweighed for '%s' (favourable '%s'): weights %s;"
                + " total weight %.1f", train.size(), config.attribute(), favourable, range(weights), total);
        LOG.debug("stage {}: {} on {} ({}); {}", context.stageId(), TYPE, data.producer(), config, summary);
        Map<String, String> metadata = new LinkedHashMap<>(data.metadata());
        metadata.put("weight_column", config.column());
        metadata.put("reweighed_attribute", config.attribute());
        return new StageOutput(summary, metadata);
    }

    private static long groupRows(Reweighing.Result r, String group) {
        return r.cells().stream().filter(c -> c.group().equals(group)).mapToLong(Reweighing.Cell::rows).sum();
    }

    private static void write(Path file, DatasetSchema schema, List<DatasetRow> rows, byte[] sync) throws IOException {
        Schema avro = Datasets.avroSchema(schema);
        try (OutputStream os = Files.newOutputStream(file);
             DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(avro))) {
            w.create(avro, os, sync);
            for (DatasetRow row : rows) w.append(Datasets.toRecord(avro, row));
        }
    }

    /** A sync marker from the input's hash and the split, so the same input writes the same bytes. */
    private static byte[] sync(String inputSha256, Split split) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("candor-reweigh/" + inputSha256 + "/"
                    + split.label()).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(d, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
        }
    }

    private static String range(double[] w) {
        double min = Arrays.stream(w).min().orElse(Double.NaN), max = Arrays.stream(w).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%.3f to %.3f", min, max);
    }
}

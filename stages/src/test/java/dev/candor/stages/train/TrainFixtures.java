package dev.candor.stages.train;

import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.InputArtifact;
import dev.candor.stages.spi.LocalStageContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Dataset artifacts for the training tests, built from the CSV files in {@code src/test/resources/data} with a
 * fixed split: every fifth data row (the 1st, 6th, ...) is a test row, the others train. A column is numeric when
 * every value parses as a number; the label is always categorical.
 */
final class TrainFixtures {

    /** A dataset artifact on disk and its rows. */
    record Fixture(String name, DatasetSchema schema, List<DatasetRow> train, List<DatasetRow> test, InputArtifact artifact) {
        LocalStageContext context(Path out, long seed) {
            return new LocalStageContext("train", seed, List.of(artifact), out, "cpu");
        }
    }

    private TrainFixtures() {
    }

    static Fixture breastCancer(Path dir) throws IOException {
        return load("breast_cancer_wisconsin.csv", "diagnosis", Map.of(), dir);
    }

    static Fixture iris(Path dir) throws IOException {
        return load("iris.csv", "species", Map.of(), dir);
    }

    /** German credit: {@code sex} is protected (not a feature), {@code age} protected and also a feature. */
    static Fixture germanCredit(Path dir) throws IOException {
        return load("german_credit.csv", "class", Map.of("sex", false, "age", true), dir);
    }

    static Fixture load(String file, String label, Map<String, Boolean> protectedFeatureToo, Path dir) throws IOException {
        byte[] content;
        try (InputStream in = TrainFixtures.class.getResourceAsStream("/data/" + file)) {
            if (in == null) throw new IllegalStateException("test resource /data/" + file + " is missing");
            content = in.readAllBytes();
        }
        List<CSVRecord> records;
        List<String> header;
        try (Reader r = new InputStreamReader(new java.io.ByteArrayInputStream(content), StandardCharsets.UTF_8)) {
            var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r);
            header = parser.getHeaderNames();
            records = parser.getRecords();
        }
        List<ColumnSchema> columns = new ArrayList<>();
        for (String name : header) {
            boolean numeric = !name.equals(label) && records.stream().allMatch(rec -> isNumber(rec.get(name)));
            List<String> levels = numeric ? List.of()
                    : List.copyOf(new TreeSet<>(records.stream().map(rec -> rec.get(name)).toList()));
            ColumnRole role = name.equals(label) ? ColumnRole.LABEL
                    : protectedFeatureToo.containsKey(name) ? ColumnRole.PROTECTED : ColumnRole.FEATURE;
            columns.add(new ColumnSchema(name, numeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL, role,
                    protectedFeatureToo.getOrDefault(name, false), levels));
        }
        List<String> classes = columns.get(header.indexOf(label)).categories();
        DatasetSchema schema = new DatasetSchema(file, sha256(content), columns, label, classes);
        List<DatasetRow> train = new ArrayList<>();
        List<DatasetRow> test = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Object[] values = new Object[columns.size()];
            for (int c = 0; c < values.length; c++) {
                String v = records.get(i).get(c);
                values[c] = columns.get(c).type() == ColumnType.NUMERIC ? (Object) Double.valueOf(v) : v;
            }
            (i % 5 == 0 ? test : train).add(new DatasetRow(i + 2, values));
        }
        Files.createDirectories(dir);
        Datasets.writeSchema(dir, schema);
        Datasets.writeSplit(dir, schema, Split.TRAIN, train);
        Datasets.writeSplit(dir, schema, Split.VALIDATION, List.of());
        Datasets.writeSplit(dir, schema, Split.TEST, test);
        InputArtifact artifact = new InputArtifact("data", ArtifactKind.DATASET, dir, sha256(content), Map.of());
        return new Fixture(file.replace(".csv", ""), schema, train, test, artifact);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.candor.stages.ingest;

import static dev.candor.stages.ingest.IngestTestSupport.copyResource;
import static dev.candor.stages.ingest.IngestTestSupport.ingest;
import static dev.candor.stages.ingest.IngestTestSupport.meanAndStd;
import static dev.candor.stages.ingest.IngestTestSupport.readPlainCsv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.ColumnSchema;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.Split;
import dev.candor.stages.spi.StageCatalog;
import dev.candor.stages.spi.StageOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ingest.csv} on real data, on the real DirectRunner: Breast Cancer Wisconsin and German Credit. */
class CsvIngestStageTest {
    private static final long SEED = 7;
    private static final String[] ARTIFACT_FILES = {"schema.json", "statistics.json", "train.avro", "validation.avro", "test.avro"};

    @TempDir
    static Path tmp;

    static Path cancerCsv;
    static Path cancer;
    static Path cancerAgain;
    static Path cancerOtherSeed;
    static StageOutput cancerOutput;
    static Path creditCsv;
    static Path credit;
    static final List<long[]> creditProgress = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void ingestOnce() throws Exception {
        cancerCsv = copyResource("data/breast_cancer_wisconsin.csv", tmp.resolve("in"));
        creditCsv = copyResource("data/german_credit.csv", tmp.resolve("in"));
        cancer = tmp.resolve("cancer");
        cancerOutput = ingest(IngestTestSupport.config(cancerCsv, "diagnosis"), SEED, cancer);
        cancerAgain = tmp.resolve("cancer-again");
        ingest(IngestTestSupport.config(cancerCsv, "diagnosis"), SEED, cancerAgain);
        cancerOtherSeed = tmp.resolve("cancer-seed-8");
        ingest(IngestTestSupport.config(cancerCsv, "diagnosis"), SEED + 1, cancerOtherSeed);
        credit = tmp.resolve("credit");
        ingest(new CsvIngestConfig(creditCsv.toString(), "class", null, null, List.of("sex", "age"), null, null, null, null, null),
                SEED, credit, (unit, done, total) -> {
                    if (unit.equals("rows")) creditProgress.add(new long[] {done, total});
                });
    }

    @Test
    void theStageIsFoundThroughServiceLoader() {
        assertThat(StageCatalog.load().find("ingest.csv")).get().isInstanceOf(CsvIngestStage.class);
    }

    @Test
    void breastCancerSummaryAndMetadataCountEveryRow() {
        // malignant 212: test round(42.4)=42, validation round(21.2)=21; benign 357: test round(71.4)=71, validation round(35.7)=36
        assertThat(cancerOutput.summary())
                .isEqualTo("569 rows → train 399, validation 57, test 113; 30 features, label 'diagnosis' (2 classes)");
        assertThat(cancerOutput.metadata()).containsEntry("rows", "569").containsEntry("rows.train", "399")
                .containsEntry("rows.validation", "57").containsEntry("rows.test", "113").containsEntry("rows.dropped", "0")
                .containsEntry("features", "30").containsEntry("classes", "benign,malignant");
    }

    @Test
    void breastCancerSchemaHasInferredNumericFeaturesAndACategoricalLabel() throws Exception {
        DatasetSchema schema = Datasets.readSchema(cancer);
        assertThat(schema.source()).isEqualTo("breast_cancer_wisconsin.csv");
        assertThat(schema.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(cancerCsv))));
        assertThat(schema.columns()).hasSize(31);
        assertThat(schema.label()).isEqualTo("diagnosis");
        assertThat(schema.classes()).containsExactly("benign", "malignant");
        assertThat(schema.modelInputs()).hasSize(30).allMatch(c -> c.type() == ColumnType.NUMERIC && c.role() == ColumnRole.FEATURE);
        assertThat(schema.column("diagnosis").type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(schema.column("diagnosis").categories()).containsExactly("benign", "malignant");
    }

    @Test
    void breastCancerSplitsPartitionTheFileStratifiedAndKeepEveryValue() {
        List<String[]> csv = readPlainCsv(cancerCsv);
        DatasetSchema schema = Datasets.readSchema(cancer);
        Map<Long, String[]> byRow = new HashMap<>();
        for (int i = 1; i < csv.size(); i++) byRow.put((long) i + 1, csv.get(i));

        Set<Long> seen = new HashSet<>();
        Map<String, Long> classTotals = Map.of("malignant", 212L, "benign", 357L);
        Map<Split, Double> fraction = Map.of(Split.TRAIN, 0.7, Split.VALIDATION, 0.1, Split.TEST, 0.2);
        for (Split split : Split.values()) {
            List<DatasetRow> rows = Datasets.readSplit(cancer, split);
            assertThat(rows).extracting(DatasetRow::sourceRow).as("rows sorted by source row").isSorted();
            for (DatasetRow row : rows) {
                assertThat(seen.add(row.sourceRow())).as("row %d in one split only", row.sourceRow()).isTrue();
                String[] source = byRow.get(row.sourceRow());
                for (int c = 0; c < 30; c++) assertThat(row.number(c)).isEqualTo(Double.parseDouble(source[c]));
                assertThat(row.category(30)).isEqualTo(source[30]);
            }
            Map<String, Long> perClass = rows.stream().collect(Collectors.groupingBy(r -> r.category(schema.labelIndex()), Collectors.counting()));
            classTotals.forEach((cls, n) -> assertThat((double) perClass.getOrDefault(cls, 0L))
                    .as("%s rows of class %s", split, cls).isCloseTo(n * fraction.get(split), within(1.0)));
        }
        assertThat(seen).hasSize(569).allMatch(r -> r >= 2 && r <= 570);
    }

    @Test
    void breastCancerStatisticsMatchAnIndependentComputation() {
        IngestStatistics stats = IngestStatistics.read(cancer);
        assertThat(stats.rows()).isEqualTo(new IngestStatistics.Rows(569, 0, List.of(), 399, 57, 113));
        assertThat(stats.missingPolicy()).isEqualTo("error");
        assertThat(stats.classBalance().get("train")).isEqualTo(Map.of("benign", 250L, "malignant", 149L));
        assertThat(stats.classBalance().get("all")).isEqualTo(Map.of("benign", 357L, "malignant", 212L));
        assertThat(stats.columns().get(0).typeReason()).isEqualTo("inferred: 569 of 569 values are numbers");

        DatasetSchema schema = Datasets.readSchema(cancer);
        for (Split split : Split.values()) {
            List<DatasetRow> rows = Datasets.readSplit(cancer, split);
            for (int c = 0; c < 30; c++) {
                int column = c;
                double[] xs = rows.stream().mapToDouble(r -> r.number(column)).toArray();
                double[] expected = meanAndStd(xs);
                IngestStatistics.SplitColumn s = stats.columns().get(c).splits().get(split.label());
                assertThat(stats.columns().get(c).name()).isEqualTo(schema.columns().get(c).name());
                assertThat(s.count()).isEqualTo(xs.length);
                assertThat(s.missing()).isZero();
                assertThat(s.min()).isEqualTo(java.util.Arrays.stream(xs).min().orElseThrow());
                assertThat(s.max()).isEqualTo(java.util.Arrays.stream(xs).max().orElseThrow());
                assertThat(s.mean()).isCloseTo(expected[0], within(1e-12 * Math.abs(expected[0])));
                assertThat(s.std()).isCloseTo(expected[1], within(1e-10 * expected[1]));
            }
        }
    }

    @Test
    void theSameSeedGivesByteIdenticalArtifactsAndAnotherSeedAnotherSplit() throws Exception {
        for (String f : ARTIFACT_FILES) {
            assertThat(Files.readAllBytes(cancerAgain.resolve(f))).as(f).isEqualTo(Files.readAllBytes(cancer.resolve(f)));
        }
        List<Long> test = Datasets.readSplit(cancer, Split.TEST).stream().map(DatasetRow::sourceRow).toList();
        List<Long> otherTest = Datasets.readSplit(cancerOtherSeed, Split.TEST).stream().map(DatasetRow::sourceRow).toList();
        assertThat(otherTest).hasSameSizeAs(test).isNotEqualTo(test);
        // Different rows, same stratified sizes.
        assertThat(IngestStatistics.read(cancerOtherSeed).classBalance().get("test"))
                .isEqualTo(IngestStatistics.read(cancer).classBalance().get("test"));
    }

    @Test
    void germanCreditTypesRolesAndCategories() {
        DatasetSchema schema = Datasets.readSchema(credit);
        assertThat(schema.columns()).hasSize(22);
        assertThat(schema.classes()).containsExactly("bad", "good");
        Map<String, ColumnType> types = schema.columns().stream().collect(Collectors.toMap(ColumnSchema::name, ColumnSchema::type));
        assertThat(types.entrySet().stream().filter(e -> e.getValue() == ColumnType.NUMERIC).map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("duration", "credit_amount", "installment_commitment", "residence_since", "age",
                        "existing_credits", "num_dependents");
        assertThat(schema.protectedAttributes()).extracting(ColumnSchema::name).containsExactly("sex", "age");
        assertThat(schema.protectedAttributes()).noneMatch(ColumnSchema::featureToo);
        assertThat(schema.modelInputs()).hasSize(19).extracting(ColumnSchema::name).doesNotContain("sex", "age", "class");
        assertThat(schema.column("sex").categories()).containsExactly("female", "male");

        List<String[]> csv = readPlainCsv(creditCsv);
        int purpose = List.of(csv.get(0)).indexOf("purpose");
        List<String> expected = csv.stream().skip(1).map(r -> r[purpose]).distinct().sorted().toList();
        assertThat(schema.column("purpose").categories()).isEqualTo(expected);
    }

    @Test
    void germanCreditStatisticsAndStratification() {
        List<String[]> csv = readPlainCsv(creditCsv);
        List<String> header = List.of(csv.get(0));
        IngestStatistics stats = IngestStatistics.read(credit);
        // good 700: test 140, validation 70; bad 300: test 60, validation 30
        assertThat(stats.rows()).isEqualTo(new IngestStatistics.Rows(1000, 0, List.of(), 700, 100, 200));
        assertThat(stats.classBalance().get("test")).isEqualTo(Map.of("good", 140L, "bad", 60L));
        assertThat(stats.classBalance().get("validation")).isEqualTo(Map.of("good", 70L, "bad", 30L));

        DatasetSchema schema = Datasets.readSchema(credit);
        Set<Long> trainRows = Datasets.readSplit(credit, Split.TRAIN).stream().map(DatasetRow::sourceRow).collect(Collectors.toSet());
        // credit_amount over the training split, from the source file and the row numbers alone.
        int amount = header.indexOf("credit_amount");
        double[] xs = new double[trainRows.size()];
        int k = 0;
        for (int i = 1; i < csv.size(); i++) if (trainRows.contains((long) i + 1)) xs[k++] = Double.parseDouble(csv.get(i)[amount]);
        double[] expected = meanAndStd(xs);
        IngestStatistics.SplitColumn s = column(stats, "credit_amount").splits().get("train");
        assertThat(s.mean()).isCloseTo(expected[0], within(1e-9));
        assertThat(s.std()).isCloseTo(expected[1], within(1e-9));

        // Category counts of a protected attribute over all rows, from the file.
        int sex = header.indexOf("sex");
        Map<String, Long> counts = new TreeMap<>(csv.stream().skip(1).collect(Collectors.groupingBy(r -> r[sex], Collectors.counting())));
        assertThat(column(stats, "sex").splits().get("all").categories()).isEqualTo(counts).containsEntry("female", 310L);
        assertThat(column(stats, "sex").role()).isEqualTo("PROTECTED");
        assertThat(column(stats, "age").splits().get("all").min()).isEqualTo(19.0);
        assertThat(column(stats, "age").splits().get("all").max()).isEqualTo(75.0);
        assertThat(schema.indexOf("class")).isEqualTo(21);
    }

    @Test
    void progressCountsTheRowsRead() {
        assertThat(creditProgress).isNotEmpty();
        assertThat(creditProgress).extracting(p -> p[0]).isSorted().last().isEqualTo(1000L);
        assertThat(creditProgress).allMatch(p -> p[1] == -1 && p[0] <= 1000);
    }

    private static IngestStatistics.ColumnStatistics column(IngestStatistics stats, String name) {
        return stats.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void everyArtifactFileIsThere() {
        for (Path dir : List.of(cancer, credit)) {
            for (String f : ARTIFACT_FILES) assertThat(dir.resolve(f)).isRegularFile();
        }
        List<String> files = new ArrayList<>();
        for (String f : ARTIFACT_FILES) files.add(f);
        assertThat(cancer.toFile().list()).containsExactlyInAnyOrderElementsOf(files);
    }
}

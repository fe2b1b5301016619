package dev.candor.stages.ingest;

import static dev.candor.stages.ingest.IngestTestSupport.copyResource;
import static dev.candor.stages.ingest.IngestTestSupport.ingest;
import static dev.candor.stages.ingest.IngestTestSupport.readPlainCsv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.candor.stages.data.ColumnRole;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.data.MissingPolicy;
import dev.candor.stages.data.Split;
import dev.candor.stages.spi.StageOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The missing-value policies on {@code ingest/missing-values.csv} (12 rows, classes a and b with 6 each; empty: age on
 * line 3, color on line 4, score on line 5). Results are checked by hand where the split cannot change them, and
 * otherwise against the source values of the rows that landed in the training split.
 */
class CsvIngestMissingValuesTest {
    private static final int AGE = 1;
    private static final int COLOR = 2;
    private static final int SCORE = 3;

    @TempDir
    Path tmp;

    private CsvIngestConfig config(Path csv, MissingPolicy policy) {
        return new CsvIngestConfig(csv.toString(), "label", null, "id", null, null, null, policy, null, null);
    }

    @Test
    void dropRemovesTheRowsWithEmptyFieldsAndCountsThem() throws Exception {
        Path csv = copyResource("ingest/missing-values.csv", tmp.resolve("in"));
        Path out = tmp.resolve("out");

        StageOutput output = ingest(config(csv, MissingPolicy.DROP), 7, out);

        // Left: class a r01 r05 r06 (3 rows: test 1, validation round(0.3) = 0, train 2), class b r07..r12 (6 rows:
        // test round(1.2) = 1, validation round(0.6) = 1, train 4).
        IngestStatistics stats = IngestStatistics.read(out);
        assertThat(stats.rows()).isEqualTo(new IngestStatistics.Rows(12, 3, List.of(3L, 4L, 5L), 6, 1, 2));
        assertThat(output.summary()).startsWith("12 rows (3 dropped) → train 6, validation 1, test 2; 3 features");
        assertThat(allRows(out)).extracting(DatasetRow::sourceRow).doesNotContain(3L, 4L, 5L).hasSize(9);
        assertThat(stats.columns()).allMatch(c -> c.imputation() == null);
        assertThat(stats.columns().get(AGE).missing()).isEqualTo(1);
        assertThat(stats.columns().get(AGE).splits().get("all").missing()).isZero();
        assertThat(Datasets.readSchema(out).column("id").role()).isEqualTo(ColumnRole.ID);
        // An id's values are not categories: neither the schema nor the statistics list them.
        assertThat(Datasets.readSchema(out).column("id").categories()).isEmpty();
        assertThat(stats.columns().get(0).splits().get("all").categories()).isNull();
        assertThat(stats.columns().get(0).splits().get("all").count()).isEqualTo(9);
    }

    @Test
    void imputeMeanFillsNumbersWithTheTrainingMeanAndCategoriesWithTheTrainingMode() throws Exception {
        Path csv = copyResource("ingest/missing-values.csv", tmp.resolve("in"));
        Path out = tmp.resolve("out");

        ingest(config(csv, MissingPolicy.IMPUTE_MEAN), 7, out);

        Map<Long, DatasetRow> rows = byRow(allRows(out));
        double ageMean = trainingMean(csv, out, AGE);
        double scoreMean = trainingMean(csv, out, SCORE);
        assertThat(rows.get(3L).number(AGE)).isCloseTo(ageMean, within(1e-12));
        assertThat(rows.get(5L).number(SCORE)).isCloseTo(scoreMean, within(1e-12));
        // red is 9 of the 11 colours: at least 5 of the 8 training rows, whatever the split.
        assertThat(rows.get(4L).category(COLOR)).isEqualTo("red");
        // Not the mean over every row: the test rows must not leak into the imputed value.
        assertThat(ageMean).isNotEqualTo(meanOf(csv, AGE, Set.of()));

        IngestStatistics stats = IngestStatistics.read(out);
        assertThat(stats.missingPolicy()).isEqualTo("impute-mean");
        IngestStatistics.ColumnStatistics age = stats.columns().get(AGE);
        assertThat((Double) age.imputation().value()).isCloseTo(ageMean, within(1e-12));
        assertThat(age.imputation().method()).isEqualTo("mean of the training split");
        assertThat(age.splits().get("all").missing()).isEqualTo(1);
        assertThat(age.splits().get("all").imputed()).isEqualTo(1);
        assertThat(age.splits().get("all").count()).isEqualTo(11);
        assertThat(stats.columns().get(COLOR).imputation().method()).contains("mode", "categorical", "no mean");
        assertThat(stats.rows().dropped()).isZero();
    }

    @Test
    void imputeModeFillsWithTheMostFrequentTrainingValue() throws Exception {
        Path csv = copyResource("ingest/missing-values.csv", tmp.resolve("in"));
        Path out = tmp.resolve("out");

        ingest(config(csv, MissingPolicy.IMPUTE_MODE), 7, out);

        Map<Long, DatasetRow> rows = byRow(allRows(out));
        // Age 30 is 6 of 11 values: at least 2 of the training rows hold it, every other age appears once.
        assertThat(rows.get(3L).number(AGE)).isEqualTo(30.0);
        assertThat(rows.get(4L).category(COLOR)).isEqualTo("red");
        IngestStatistics stats = IngestStatistics.read(out);
        assertThat(stats.columns().get(AGE).imputation().value()).isEqualTo(30.0);
        assertThat(stats.columns().get(COLOR).imputation().value()).isEqualTo("red");
        assertThat(stats.columns().get(SCORE).imputation().method()).startsWith("mode of the training split");
        assertThat(allRows(out)).hasSize(12);
    }

    private static List<DatasetRow> allRows(Path out) {
        List<DatasetRow> rows = new ArrayList<>();
        for (Split s : Split.values()) rows.addAll(Datasets.readSplit(out, s));
        return rows;
    }

    private static Map<Long, DatasetRow> byRow(List<DatasetRow> rows) {
        Map<Long, DatasetRow> map = new HashMap<>();
        rows.forEach(r -> map.put(r.sourceRow(), r));
        return map;
    }

    /** The mean of a column's non-empty source values over the rows that landed in train.avro. */
    private static double trainingMean(Path csv, Path out, int column) {
        Set<Long> train = Datasets.readSplit(out, Split.TRAIN).stream().map(DatasetRow::sourceRow).collect(Collectors.toSet());
        Set<Long> notTrain = new java.util.HashSet<>();
        for (long r = 2; r <= 13; r++) if (!train.contains(r)) notTrain.add(r);
        return meanOf(csv, column, notTrain);
    }

    private static double meanOf(Path csv, int column, Set<Long> excludedRows) {
        List<String[]> lines = readPlainCsv(csv);
        double sum = 0;
        int n = 0;
        for (int i = 1; i < lines.size(); i++) {
            String v = lines.get(i)[column];
            if (v.isEmpty() || excludedRows.contains((long) i + 1)) continue;
            sum += Double.parseDouble(v);
            n++;
        }
        return sum / n;
    }

    @Test
    void theSchemaKeepsTheDeclaredRoles() throws Exception {
        Path csv = copyResource("ingest/missing-values.csv", tmp.resolve("in"));
        Path out = tmp.resolve("out");
        ingest(new CsvIngestConfig(csv.toString(), "label", null, "id", List.of("age"), List.of("score"), true,
                MissingPolicy.DROP, null, null), 7, out);
        DatasetSchema schema = Datasets.readSchema(out);
        assertThat(schema.columns()).extracting(c -> c.name()).containsExactly("id", "age", "color", "label");
        assertThat(schema.column("age").role()).isEqualTo(ColumnRole.PROTECTED);
        assertThat(schema.column("age").featureToo()).isTrue();
        assertThat(schema.modelInputs()).extracting(c -> c.name()).containsExactly("age", "color");
        // score is ignored, so its empty field no longer drops line 5.
        assertThat(IngestStatistics.read(out).rows().dropped()).isEqualTo(2);
    }
}

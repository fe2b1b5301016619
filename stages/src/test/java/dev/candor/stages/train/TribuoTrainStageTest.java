package dev.candor.stages.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.model.EncodedFeature;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.LocalStageContext;
import dev.candor.stages.spi.StageCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

class TribuoTrainStageTest {
    private static final long SEED = 20261123L;
    /** The project's acceptance criterion: ONNX probabilities equal Tribuo's to this. */
    private static final double TOLERANCE = 1e-5;
    /** max |ONNX - Tribuo| per algorithm and dataset, printed at the end. */
    private static final Map<String, Double> MAX_DIFF = new ConcurrentSkipListMap<>();

    @TempDir
    Path tmp;

    private final TribuoTrainStage stage = new TribuoTrainStage();

    /** Small but real settings so that the whole matrix runs in seconds. */
    static TribuoTrainConfig config(Algorithm a) {
        return switch (a) {
            case RANDOM_FOREST -> new TribuoTrainConfig(a, null, null, null, null, null, 30, null, null, null, null, null);
            case XGBOOST -> new TribuoTrainConfig(a, null, null, null, 4, null, 40, null, null, 0.8, null, null);
            default -> TribuoTrainConfig.defaults(a);
        };
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Algorithm a : Algorithm.values()) {
            for (String data : List.of("breast_cancer", "iris", "german_credit")) out.add(Arguments.of(a, data));
        }
        return out.stream();
    }

    private TrainFixtures.Fixture fixture(String name) throws Exception {
        Path dir = tmp.resolve("data-" + name);
        return switch (name) {
            case "breast_cancer" -> TrainFixtures.breastCancer(dir);
            case "iris" -> TrainFixtures.iris(dir);
            case "german_credit" -> TrainFixtures.germanCredit(dir);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("matrix")
    void onnxProbabilitiesEqualTribuosOnEveryRow(Algorithm algorithm, String data) throws Exception {
        TrainFixtures.Fixture f = fixture(data);
        LocalStageContext ctx = f.context(tmp.resolve("out"), SEED);
        TribuoTrainStage.Trained trained = stage.train(config(algorithm), ctx);
        int classes = f.schema().classes().size();
        System.out.println(trained.output().summary() + " | " + trained.metadata().trainer());

        try (OnnxCheck onnx = new OnnxCheck(trained.onnxFile())) {
            // The file explains itself: Candor's metadata round-trips through ONNX Runtime.
            ModelMetadata meta = onnx.metadata();
            assertThat(meta).isEqualTo(trained.metadata());
            assertThat(meta.modelType()).isEqualTo(algorithm.label());
            assertThat(meta.labels()).isEqualTo(f.schema().classes());
            assertThat(meta.trainingDataSha256()).isEqualTo(f.artifact().sha256());
            assertThat(meta.trainer()).startsWith("Tribuo 4.3.2 ");
            assertThat(onnx.customMetadata()).containsKeys(ModelMetadata.FEATURES, ModelMetadata.TRAINER);

            // One float input [N, F] and one float output [N, C], named as the metadata says.
            int width = meta.encoder().width();
            NodeInfo in = onnx.session.getInputInfo().get(meta.inputName());
            assertThat(in).as("input %s", meta.inputName()).isNotNull();
            assertThat(((TensorInfo) in.getInfo()).getShape()).containsExactly(-1L, (long) width);
            NodeInfo out = onnx.session.getOutputInfo().get(meta.probabilitiesOutput());
            assertThat(out).as("output %s", meta.probabilitiesOutput()).isNotNull();
            assertThat(((TensorInfo) out.getInfo()).getShape()).containsExactly(-1L, (long) classes);

            double worst = 0;
            for (List<DatasetRow> rows : List.of(f.test(), f.train())) {
                float[][] x = OnnxCheck.encode(meta.encoder(), f.schema(), rows);
                float[][] p = onnx.probabilities(meta.inputName(), meta.probabilitiesOutput(), x);
                assertThat(p).hasNumberOfRows(rows.size());
                for (int r = 0; r < rows.size(); r++) {
                    Prediction<Label> tribuo = trained.model().predict(TribuoTrainStage.example(meta.encoder(), x[r], "?"));
                    double sum = 0;
                    for (int k = 0; k < classes; k++) {
                        Label l = tribuo.getOutputScores().get(meta.labels().get(k));
                        double expected = l == null ? 0 : l.getScore();
                        assertThat((double) p[r][k]).as("row %d class %s", rows.get(r).sourceRow(), meta.labels().get(k))
                                .isCloseTo(expected, within(TOLERANCE));
                        worst = Math.max(worst, Math.abs(p[r][k] - expected));
                        sum += p[r][k];
                    }
                    assertThat(sum).isCloseTo(1.0, within(1e-5));
                }
            }
            MAX_DIFF.merge(algorithm.label(), worst, Math::max);
            MAX_DIFF.put(algorithm.label() + " on " + data, worst);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("max |ONNX - Tribuo| per model: " + MAX_DIFF);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void theSameSeedGivesTheSameBytes(Algorithm algorithm) throws Exception {
        TrainFixtures.Fixture f = TrainFixtures.iris(tmp.resolve("data"));
        Path a = stage.train(config(algorithm), f.context(tmp.resolve("a"), SEED)).onnxFile();
        Path b = stage.train(config(algorithm), f.context(tmp.resolve("b"), SEED)).onnxFile();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void anotherSeedGivesAnotherForest() throws Exception {
        TrainFixtures.Fixture f = TrainFixtures.iris(tmp.resolve("data"));
        Path a = stage.train(config(Algorithm.RANDOM_FOREST), f.context(tmp.resolve("a"), 1)).onnxFile();
        Path b = stage.train(config(Algorithm.RANDOM_FOREST), f.context(tmp.resolve("b"), 2)).onnxFile();
        assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(b));
    }

    @Test
    void logisticRegressionSeparatesBreastCancerOnTheTestSplit() throws Exception {
        TrainFixtures.Fixture f = TrainFixtures.breastCancer(tmp.resolve("data"));
        // A validation split (here the test rows again) gets its accuracy recorded; it is never trained on.
        dev.candor.stages.data.Datasets.writeSplit(f.artifact().path(), f.schema(), dev.candor.stages.data.Split.VALIDATION, f.test());
        LocalStageContext ctx = f.context(tmp.resolve("out"), SEED);
        var output = stage.run(TribuoTrainConfig.defaults(Algorithm.LOGISTIC_REGRESSION), ctx);

        Path file = tmp.resolve("out").resolve(ModelMetadata.MODEL_FILE);
        try (OnnxCheck onnx = new OnnxCheck(file)) {
            ModelMetadata meta = onnx.metadata();
            float[][] p = onnx.probabilities(meta.inputName(), meta.probabilitiesOutput(),
                    OnnxCheck.encode(meta.encoder(), f.schema(), f.test()));
            int positive = meta.labels().indexOf("malignant");
            int label = f.schema().labelIndex();
            double[] scores = new double[p.length];
            boolean[] isPositive = new boolean[p.length];
            for (int r = 0; r < p.length; r++) {
                scores[r] = p[r][positive];
                isPositive[r] = f.test().get(r).values()[label].equals("malignant");
            }
            assertThat(rocAuc(scores, isPositive)).isGreaterThanOrEqualTo(0.97);
        }
        assertThat(output.summary()).matches("logistic-regression on 455 rows × 30 features, 2 classes; exported to ONNX \\(\\d+ (B|KB)\\)");
        assertThat(output.metadata()).containsEntry("model_type", "logistic-regression")
                .containsEntry("features", "30").containsEntry("classes", "[\"benign\",\"malignant\"]")
                .containsEntry("onnx_export", "tribuo");
        assertThat(ctx.recordedMetrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("accuracy");
            assertThat(m.split()).isEqualTo("train");
            assertThat(m.value()).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
        });
        assertThat(ctx.recordedMetrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("accuracy");
            assertThat(m.split()).isEqualTo("validation");
            assertThat(m.value()).isGreaterThan(0.9).isLessThanOrEqualTo(1.0);
        });
        assertThat(output.metadata()).containsKey("validation_accuracy").containsEntry("train_rows", "455");
        assertThat(ctx.recordedMetrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("epochs");
            assertThat(m.value()).isEqualTo(30);
        });
    }

    /** ROC AUC as the probability that a random positive outscores a random negative (ties count half). */
    static double rocAuc(double[] scores, boolean[] positive) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!positive[i]) continue;
            for (int j = 0; j < scores.length; j++) {
                if (positive[j]) continue;
                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }
        return wins / pairs;
    }

    @Test
    void rocAucOfTheTestHelperMatchesATextbookCase() {
        // positives 0.9, 0.4; negatives 0.5, 0.1: 3 of 4 pairs ordered correctly.
        assertThat(rocAuc(new double[] {0.9, 0.4, 0.5, 0.1}, new boolean[] {true, true, false, false})).isEqualTo(0.75);
    }

    @Test
    void forestAndBoostingRecordTheirTrees() throws Exception {
        TrainFixtures.Fixture f = TrainFixtures.iris(tmp.resolve("data"));
        LocalStageContext rf = f.context(tmp.resolve("rf"), SEED);
        var out = stage.run(config(Algorithm.RANDOM_FOREST), rf);
        assertThat(rf.recordedMetrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("trees");
            assertThat(m.value()).isEqualTo(30);
        });
        assertThat(out.metadata()).containsEntry("onnx_export", "candor-tree-ensemble").containsEntry("classes",
                "[\"setosa\",\"versicolor\",\"virginica\"]");
        LocalStageContext xgb = f.context(tmp.resolve("xgb"), SEED);
        stage.run(config(Algorithm.XGBOOST), xgb);
        // Three classes: one tree per class per boosting round.
        assertThat(xgb.recordedMetrics()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("trees");
            assertThat(m.value()).isEqualTo(40 * 3);
        });
    }

    @Test
    void theEncoderIsFittedOnTheTrainSplitOverModelInputsOnly() throws Exception {
        TrainFixtures.Fixture f = TrainFixtures.germanCredit(tmp.resolve("data"));
        ModelMetadata meta = stage.train(config(Algorithm.CART), f.context(tmp.resolve("out"), SEED)).metadata();
        Map<String, EncodedFeature> byName = new TreeMap<>();
        meta.encoder().features().forEach(e -> byName.put(e.name(), e));

        // sex is protected and not a feature; age is protected and also a feature; the label is never one.
        assertThat(byName.keySet()).noneMatch(n -> n.startsWith("sex")).noneMatch(n -> n.startsWith("class"))
                .contains("age", "duration", "purpose=radio/tv", "foreign_worker=yes");
        // One one-hot input per level the schema lists.
        assertThat(byName.keySet().stream().filter(n -> n.startsWith("purpose="))).hasSize(
                f.schema().column("purpose").categories().size());
        // Standardized with the train split's mean and population standard deviation, computed here independently.
        int duration = f.schema().indexOf("duration");
        double mean = f.train().stream().mapToDouble(r -> r.number(duration)).average().orElseThrow();
        double var = f.train().stream().mapToDouble(r -> Math.pow(r.number(duration) - mean, 2)).sum() / f.train().size();
        assertThat(byName.get("duration").mean()).isCloseTo(mean, within(1e-9));
        assertThat(byName.get("duration").scale()).isCloseTo(Math.sqrt(var), within(1e-9));
        // The input order is Tribuo's feature order (by name), which the ONNX graph was built with.
        assertThat(meta.encoder().names()).isSorted();
    }

    @Test
    void aClassWithoutTrainingRowsIsADataError() throws Exception {
        TrainFixtures.Fixture f = TrainFixtures.iris(tmp.resolve("data"));
        int label = f.schema().labelIndex();
        List<DatasetRow> noVirginica = f.train().stream().filter(r -> !r.values()[label].equals("virginica")).toList();
        dev.candor.stages.data.Datasets.writeSplit(f.artifact().path(), f.schema(), dev.candor.stages.data.Split.TRAIN, noVirginica);
        assertThatThrownBy(() -> stage.run(config(Algorithm.CART), f.context(tmp.resolve("out"), SEED)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("train.avro")
                .hasMessageContaining("[virginica] have no row in the train split");
        assertThat(tmp.resolve("out").resolve(ModelMetadata.MODEL_FILE)).doesNotExist();
    }

    @Test
    void theStageIsFoundByTypeAndDeclaresItsPorts() {
        var found = StageCatalog.load().find("train.tribuo");
        assertThat(found).isPresent();
        assertThat(found.get()).isInstanceOf(TribuoTrainStage.class);
        assertThat(stage.inputs()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ArtifactKind.DATASET);
            assertThat(p.min()).isEqualTo(1);
            assertThat(p.max()).isEqualTo(1);
            assertThat(p.role()).isEqualTo("the data to train on");
        });
        assertThat(stage.output()).isEqualTo(ArtifactKind.MODEL);
        assertThat(stage.configType()).isEqualTo(TribuoTrainConfig.class);
    }
}

package dev.candor.gpu.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxPredictorTest {
    // 3 features → 3 classes
    private static final float[][] W = {{0.5f, -1.0f, 0.25f}, {2.0f, 0.0f, -0.5f}, {-0.75f, 1.5f, 1.0f}};
    private static final float[] B = {0.1f, -0.2f, 0.3f};
    private static final Map<String, String> META = Map.of("candor.labels", "[\"a\",\"b\",\"c\"]", "owner", "tests");
    private static final byte[] MODEL = TinyModels.softmaxRegression(W, B, META);

    private static OnnxPredictor.Options options(int batch) {
        return OnnxPredictor.Options.of("features", "probs").withLabels(List.of("a", "b", "c")).withBatchSize(batch)
                .withSession(SessionSettings.defaults().withDevice(Device.CPU).withIntraOpThreads(1));
    }

    private static float[] randomRows(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 4 - 2);
        return x;
    }

    @Test
    void probabilitiesMatchTheSoftmaxWorkedOutByHand() {
        try (OnnxPredictor p = OnnxPredictor.open(MODEL, options(16))) {
            assertThat(p.inputWidth()).isEqualTo(3);
            assertThat(p.outputNames()).containsExactly("a", "b", "c");
            assertThat(p.provider()).isEqualTo(OrtProvider.CPU);
            float[][] out = p.predict(new float[][] {{1, 0, 0}, {0, 0, 0}});
            // Row (1,0,0): logits = W[0] + b = (0.6, -1.2, 0.55); softmax by hand:
            double ea = Math.exp(0.6), eb = Math.exp(-1.2), ec = Math.exp(0.55), s = ea + eb + ec;
            assertThat((double) out[0][0]).isCloseTo(ea / s, within(1e-6));
            assertThat((double) out[0][1]).isCloseTo(eb / s, within(1e-6));
            assertThat((double) out[0][2]).isCloseTo(ec / s, within(1e-6));
            // Row (0,0,0): logits = b = (0.1, -0.2, 0.3)
            double fa = Math.exp(0.1), fb = Math.exp(-0.2), fc = Math.exp(0.3), t = fa + fb + fc;
            assertThat((double) out[1][0]).isCloseTo(fa / t, within(1e-6));
            assertThat((double) out[1][2]).isCloseTo(fc / t, within(1e-6));
        }
    }

    @Test
    void batchesAcrossBoundariesGiveTheSameAnswerAsOneCall() {
        int n = 10, d = 3;
        float[] x = randomRows(n, d, 1);
        float[] whole = new float[n * 3];
        try (OnnxPredictor one = OnnxPredictor.open(MODEL, options(1024))) {
            one.predict(x, n, whole);
        }
        for (int batch : new int[] {1, 3, 4, 9, 10}) {
            float[] out = new float[n * 3 + 2];   // longer than needed: the tail must stay untouched
            out[n * 3] = 42;
            try (OnnxPredictor p = OnnxPredictor.open(MODEL, options(batch))) {
                p.predict(x, n, out);
            }
            for (int i = 0; i < n; i++) {
                float[] row = {x[i * d], x[i * d + 1], x[i * d + 2]};
                double[] ref = TinyModels.reference(W, B, row);
                for (int c = 0; c < 3; c++) {
                    assertThat((double) out[i * 3 + c]).as("batch %d row %d class %d", batch, i, c)
                            .isCloseTo(ref[c], within(1e-6));
                }
            }
            assertThat(java.util.Arrays.copyOf(out, n * 3)).as("batch %d", batch).isEqualTo(whole);
            assertThat(out[n * 3]).isEqualTo(42);
        }
    }

    @Test
    void aWideModelGivesTheSameBitsWhateverTheBatchSize() {
        // The evaluate stage batches rows by Beam bundle, which varies from run to run; its output is only
        // reproducible if a row's scores do not depend on the rows batched with it.
        int d = 300, k = 7, n = 257;
        SplittableRandom r = new SplittableRandom(4);
        float[][] w = new float[d][k];
        for (float[] row : w) for (int c = 0; c < k; c++) row[c] = (float) r.nextGaussian() * 0.1f;
        float[] b = new float[k];
        for (int c = 0; c < k; c++) b[c] = (float) r.nextGaussian();
        byte[] model = TinyModels.softmaxRegression(w, b, Map.of());
        float[] x = randomRows(n, d, 5);
        float[] reference = null;
        for (int batch : new int[] {1, 2, 16, 100, 1024}) {
            float[] out = new float[n * k];
            try (OnnxPredictor p = OnnxPredictor.open(model, OnnxPredictor.Options.of("features", "probs")
                    .withBatchSize(batch).withSession(SessionSettings.defaults().withDevice(Device.CPU)))) {
                p.predict(x, n, out);
            }
            if (reference == null) reference = out; else assertThat(out).as("batch %d", batch).isEqualTo(reference);
        }
    }

    @Test
    void concurrentCallersGetIdenticalResults() throws Exception {
        int n = 500;
        float[] x = randomRows(n, 3, 2);
        try (OnnxPredictor p = OnnxPredictor.open(MODEL, options(64))) {
            float[] expected = new float[n * 3];
            p.predict(x, n, expected);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int t = 0; t < 24; t++) {
                    results.add(pool.submit(() -> {
                        float[] out = new float[n * 3];
                        p.predict(x, n, out);
                        return out;
                    }));
                }
                for (Future<float[]> f : results) assertThat(f.get()).isEqualTo(expected);
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void readsTheModelMetadataAndLoadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, MODEL);
        try (OnnxPredictor p = OnnxPredictor.open(file, OnnxPredictor.Options.of(null, "logits")
                .withSession(SessionSettings.defaults().withDevice(Device.CPU)))) {
            assertThat(p.metadata()).containsAllEntriesOf(META);
            assertThat(p.inputName()).isEqualTo("features");
            // Without labels, outputs are numbered from the output's shape.
            assertThat(p.outputNames()).containsExactly("0", "1", "2");
            float[] out = new float[3];
            p.predict(new float[] {0, 0, 0}, 1, out);
            assertThat(out).containsExactly(B);   // logits of a zero row are the biases
        }
    }

    @Test
    void refusesMismatchesNamingTheModelAndWhatItHas() {
        assertThatThrownBy(() -> OnnxPredictor.open(MODEL, OnnxPredictor.Options.of("features", "proba")))
                .hasMessageContaining("has no output named 'proba'; its outputs are")
                .hasMessageContaining("probs");
        assertThatThrownBy(() -> OnnxPredictor.open(MODEL, options(4).withLabels(List.of("yes", "no"))))
                .hasMessageContaining("output 'probs' has 3 columns but 2 labels were given [yes, no]");
        assertThatThrownBy(() -> OnnxPredictor.open(MODEL, OnnxPredictor.Options.of("x", "probs")))
                .hasMessageContaining("has no input named 'x'");
        assertThatThrownBy(() -> options(0)).hasMessage("batch size must be >= 1, got 0");

        OnnxPredictor p = OnnxPredictor.open(MODEL, options(4));
        assertThatThrownBy(() -> p.predict(new float[5], 2, new float[6]))
                .hasMessage("2 rows of 3 features need 6 input values, the array holds 5");
        p.close();
        p.close();
        assertThatThrownBy(() -> p.predict(new float[3], 1, new float[3])).hasMessageContaining("the predictor is closed");
    }
}

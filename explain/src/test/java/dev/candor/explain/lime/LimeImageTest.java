package dev.candor.explain.lime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.explain.Predictor;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image LIME on real 8×8 digits (the first 300 rows of the UCI optdigits copy in {@code /work/shared/datasets}), over a
 * nearest-centroid classifier fitted on them: a softmax of minus squared distances to each digit's mean image.
 */
class LimeImageTest {
    private static final int SIDE = 8;
    private static final double TEMPERATURE = 150;

    record Digits(List<float[]> images, List<Integer> labels) { }

    static Digits digits() throws Exception {
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                LimeImageTest.class.getResourceAsStream("/data/digits_8x8_first300.csv"), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                float[] x = new float[64];
                for (int j = 0; j < 64; j++) x[j] = Float.parseFloat(f[j]);
                images.add(x);
                labels.add(Integer.parseInt(f[64]));
            }
        }
        return new Digits(images, labels);
    }

    /** Softmax of −‖x − centroid_k‖² / T over the ten digits' mean images. */
    static Predictor centroids(Digits d) {
        double[][] c = new double[10][64];
        int[] count = new int[10];
        for (int i = 0; i < d.images().size(); i++) {
            int k = d.labels().get(i);
            count[k]++;
            for (int j = 0; j < 64; j++) c[k][j] += d.images().get(i)[j];
        }
        for (int k = 0; k < 10; k++) for (int j = 0; j < 64; j++) c[k][j] /= count[k];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 10; k++) names.add(Integer.toString(k));
        return new Predictor() {
            @Override public int inputWidth() { return 64; }
            @Override public List<String> outputNames() { return names; }
            @Override public void predict(float[] rows, int n, float[] out) {
                for (int i = 0; i < n; i++) {
                    double[] s = new double[10];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < 10; k++) {
                        double d2 = 0;
                        for (int j = 0; j < 64; j++) d2 += (rows[i * 64 + j] - c[k][j]) * (rows[i * 64 + j] - c[k][j]);
                        s[k] = -d2 / TEMPERATURE;
                        max = Math.max(max, s[k]);
                    }
                    double z = 0;
                    for (int k = 0; k < 10; k++) z += Math.exp(s[k] - max);
                    for (int k = 0; k < 10; k++) out[i * 10 + k] = (float) (Math.exp(s[k] - max) / z);
                }
            }
        };
    }

    @Test
    void explainsADigitPerSuperpixelDeterministicallyAndDrawsTheHeatMap(@TempDir Path dir) throws Exception {
        Digits d = digits();
        Predictor model = centroids(d);
        int row = d.labels().indexOf(0);
        float[] image = d.images().get(row);
        Superpixels grid = Superpixels.grid(SIDE, SIDE, 2);
        assertThat(grid.count()).isEqualTo(16);
        LimeImage lime = new LimeImage(model, LimeImage.Options.defaults().withSamples(2000));
        LimeImage.Explanation e = lime.explain(image, grid, 0, 7L);
        System.out.printf("image LIME, digit 0 (row %d), 16 superpixels of 2x2: p(0) = %.3f, fidelity (weighted R²) %.3f,"
                + " weights %s%n", row, e.prediction(), e.fidelity(), java.util.Arrays.toString(
                java.util.Arrays.stream(e.weights()).map(w -> Math.round(w * 1000) / 1000.0).toArray()));
        assertThat(e.prediction()).isGreaterThan(0.5);
        assertThat(e.fidelity()).isBetween(0.0, 1.0);
        assertThat(e.weights()).isEqualTo(lime.explain(image, grid, 0, 7L).weights());
        assertThat(e.weights()).isNotEqualTo(lime.explain(image, grid, 0, 8L).weights());

        // A superpixel that is background already (every pixel at the fill value) cannot change the input when
        // painted over, so the model cannot depend on it: its weight is only the regression's sampling noise.
        double biggest = java.util.Arrays.stream(e.weights()).map(Math::abs).max().orElseThrow();
        int blank = 0;
        for (int s = 0; s < grid.count(); s++) {
            boolean empty = true;
            for (int p = 0; p < 64; p++) if (grid.of(p) == s && image[p] != 0) empty = false;
            if (empty) {
                blank++;
                assertThat(Math.abs(e.weights()[s])).as("blank superpixel %d", s).isLessThan(0.05 * biggest);
            }
        }
        assertThat(blank).as("a 0 leaves corners blank").isPositive();

        Path png = dir.resolve("digit0.png");
        HeatMapPng.write(png, image, e.pixelWeights(), SIDE, SIDE, 16, 16);
        BufferedImage read = ImageIO.read(png.toFile());
        assertThat(read.getWidth()).isEqualTo(128);
        assertThat(read.getHeight()).isEqualTo(128);
        int top = 0;
        for (int s = 1; s < 16; s++) if (Math.abs(e.weights()[s]) > Math.abs(e.weights()[top])) top = s;
        int p = 0;
        while (grid.of(p) != top) p++;
        int rgb = read.getRGB((p % SIDE) * 16 + 8, (p / SIDE) * 16 + 8);
        int red = (rgb >> 16) & 0xff;
        int blue = rgb & 0xff;
        assertThat(e.weights()[top] > 0 ? red > blue : blue > red).as("the strongest superpixel is tinted by its sign")
                .isTrue();
    }

    @Test
    void badInputsAreRefused() {
        assertThatThrownBy(() -> Superpixels.grid(8, 8, 0)).hasMessageContaining("cell must be >= 1");
        assertThatThrownBy(() -> new Superpixels(2, 2, new int[] {0, 0, 2, 2}, 3)).hasMessageContaining("superpixel 1");
        assertThatThrownBy(() -> LimeImage.Options.defaults().withSamples(1)).hasMessageContaining("samples >= 2");
    }
}

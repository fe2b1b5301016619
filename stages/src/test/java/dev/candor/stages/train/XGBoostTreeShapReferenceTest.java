package dev.candor.stages.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.explain.shap.ShapValues;
import dev.candor.explain.shap.TreeShap;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.stages.explain.OnnxTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference check for TreeSHAP: on a model trained by XGBoost itself ({@code scripts/xgboost_reference.py},
 * the Python package), exported to ONNX by Candor's exporter (the same {@link XGBoostTrees} reader and
 * {@link TreeEnsembleOnnx} writer {@code train.tribuo} uses) and read back from the ONNX graph for TreeSHAP, every SHAP
 * value equals XGBoost's own {@code pred_contribs} within 1e-5, and the bias equals the expected value plus XGBoost's
 * {@code base_score} (which the export leaves out, since the softmax cancels it).
 *
 * <p>Skipped, with the reason, where Python's {@code xgboost} cannot be imported ({@code scripts/test-env.sh}
 * installs Debian's {@code python3-xgboost}).
 */
class XGBoostTreeShapReferenceTest {
    /** XGBoost sums path weights in float; Candor in double: the gap is float rounding, far below 1e-5. */
    private static final double TOLERANCE = 1e-5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void treeShapOnTheExportedOnnxEqualsXgboostsPredContribs() throws Exception {
        String python = pythonWithXgboost();
        assumeTrue(python != null, "python3 with the xgboost package is not installed (Debian: apt-get install"
                + " python3-xgboost, which scripts/test-env.sh does); the TreeSHAP reference check against XGBoost's"
                + " pred_contribs is skipped");
        Path script = Path.of("..", "scripts", "xgboost_reference.py").toAbsolutePath().normalize();
        Path csv = dir.resolve("breast_cancer_wisconsin.csv");
        try (var in = getClass().getResourceAsStream("/data/breast_cancer_wisconsin.csv")) {
            Files.copy(in, csv);
        }
        Path out = dir.resolve("xgb");
        String log = run(List.of(python, script.toString(), "--csv", csv.toString(), "--label", "diagnosis", "--out",
                out.toString(), "--rows", "120", "--rounds", "20", "--depth", "4"));
        System.out.println(log.strip());
        JsonNode ref = JSON.readTree(out.resolve("reference.json").toFile());
        int features = ref.get("features").size();
        int classes = ref.get("classes").size();
        List<String> classNames = new ArrayList<>();
        ref.get("classes").forEach(c -> classNames.add(c.asText()));
        List<String> featureNames = new ArrayList<>();
        ref.get("features").forEach(f -> featureNames.add(f.asText()));

        // XGBoost's JSON → Candor's ensemble → ONNX, exactly as train.tribuo exports a booster; then TreeSHAP reads
        // the trees back from the ONNX graph, as explain.shap does.
        JsonNode booster = new ObjectMapper().enable(
                com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(out.resolve("model.json").toFile());
        TreeEnsemble ensemble = XGBoostTrees.fromJson(booster, IntStream.range(0, features).toArray(),
                IntStream.range(0, classes).toArray());
        ModelProto onnx = TreeEnsembleOnnx.write(ensemble, "features", "probabilities", "xgboost-reference");
        Path onnxFile = dir.resolve("model.onnx");
        Files.write(onnxFile, onnx.toByteArray());
        OnnxTrees trees = OnnxTrees.read(OnnxTrees.parse(onnxFile), classes, onnxFile.toString());
        TreeShap shap = new TreeShap(trees.trees(), trees.baseScores(), classNames, featureNames);
        double baseScore = ref.get("base_score").asDouble();

        double worstValue = 0;
        double worstBias = 0;
        double worstProbability = 0;
        JsonNode rows = ref.get("rows");
        try (OnnxPredictor onnxRuntime = OnnxPredictor.open(onnxFile, OnnxPredictor.Options.of("features",
                "probabilities"))) {
            for (int i = 0; i < rows.size(); i++) {
                float[] x = new float[features];
                for (int j = 0; j < features; j++) x[j] = (float) rows.get(i).get(j).asDouble();
                ShapValues v = shap.explain(x);
                float[] p = onnxRuntime.predict(new float[][] {x})[0];
                for (int k = 0; k < classes; k++) {
                    JsonNode contribs = ref.get("contribs").get(i).get(k);
                    double[] values = v.values(k);
                    for (int j = 0; j < features; j++) {
                        worstValue = Math.max(worstValue, Math.abs(values[j] - contribs.get(j).asDouble()));
                    }
                    worstBias = Math.max(worstBias, Math.abs(v.base()[k] + baseScore
                            - contribs.get(features).asDouble()));
                    worstProbability = Math.max(worstProbability, Math.abs(p[k]
                            - ref.get("probabilities").get(i).get(k).asDouble()));
                }
            }
        }
        System.out.printf("TreeSHAP vs XGBoost %s pred_contribs over %d rows × %d classes × %d features: max |value"
                        + " difference| %.3g, max |bias difference| %.3g; ONNX Runtime vs XGBoost probabilities: max"
                        + " |difference| %.3g%n", ref.get("xgboost").asText(), rows.size(), classes, features,
                worstValue, worstBias, worstProbability);
        assertThat(worstValue).as("max |TreeSHAP − pred_contribs|").isLessThan(TOLERANCE);
        assertThat(worstBias).as("max |expected value + base_score − pred_contribs bias|").isLessThan(TOLERANCE);
        assertThat(worstProbability).as("max |ONNX Runtime − XGBoost probability|").isLessThan(TOLERANCE);
    }

    /** The first of /usr/bin/python3 and python3 on the PATH that imports xgboost; null when none does. */
    private static String pythonWithXgboost() {
        for (String python : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import xgboost").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) return python;
            } catch (IOException e) {
                // not installed under this name: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 120 s:\n" + output);
        }
        assertThat(p.exitValue()).as("exit status of %s; output:%n%s", command, output).isZero();
        return output;
    }
}

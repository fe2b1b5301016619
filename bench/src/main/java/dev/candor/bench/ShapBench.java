package dev.candor.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.candor.explain.Predictor;
import dev.candor.explain.internal.LinearSolve;
import dev.candor.explain.shap.Background;
import dev.candor.explain.shap.KernelShap;
import dev.candor.explain.shap.Players;
import dev.candor.explain.shap.ShapValues;
import dev.candor.gpu.session.OnnxPredictor;
import dev.candor.gpu.session.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.explanations.lime.LIMEBase;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.slm.LARSLassoTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.TransformerMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * KernelSHAP speed, with its baselines in the same run, on one model and one set of rows: a logistic regression
 * trained by Tribuo on the standardized breast-cancer CSV (30 features, so KernelSHAP runs in sampled mode), exported
 * to ONNX as {@code train.tribuo} does and scored by ONNX Runtime through {@link OnnxPredictor}. Compared:
 * <ol>
 *   <li>Candor's {@link KernelShap#explainAll} (batched model calls, reused buffers, every core), and the same on one
 *       thread;</li>
 *   <li>Tribuo's LIME ({@link LIMEBase} with LARS-lasso, as many samples as KernelSHAP has coalitions) on the Tribuo
 *       model itself;</li>
 *   <li>{@link NaiveKernelShap}: the same budget and background, one ONNX Runtime call per coalition and background
 *       row.</li>
 * </ol>
 * Then where the time goes, and {@link TreeShapBench} (TreeSHAP against brute force).
 *
 * <p>Arguments: {@code [rows=20] [background=10] [budget=0 (automatic: 2M+2048)] [naiveRows=rows]}.
 */
public final class ShapBench {
    private static final long SEED = 42L;

    public static void main(String[] args) throws Exception {
        int nRows = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int nBackground = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int budgetArg = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int naiveRows = args.length > 3 ? Integer.parseInt(args[3]) : nRows;
        java.util.logging.LogManager.getLogManager().reset();
        int cores = Runtime.getRuntime().availableProcessors();

        Path source = Path.of("examples/breast-cancer/data/breast_cancer_wisconsin.csv");
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("run from the repository root: " + source + " is missing");
        }
        CSVLoader<Label> loader = new CSVLoader<>(new LabelFactory());
        TrainTestSplitter<Label> split = new TrainTestSplitter<>(loader.loadDataSource(source, "diagnosis"), 0.8, SEED);
        MutableDataset<Label> rawTrain = new MutableDataset<>(split.getTrain());
        MutableDataset<Label> rawTest = new MutableDataset<>(split.getTest());
        TransformerMap standardize = rawTrain.createTransformers(
                new TransformationMap(List.of(new MeanStdDevTransformation())));
        MutableDataset<Label> train = standardize.transformDataset(rawTrain);
        MutableDataset<Label> test = standardize.transformDataset(rawTest);
        Model<Label> model = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), 30, 1000, 16, SEED)
                .train(train);
        ModelProto proto = ((ONNXExportable) model).exportONNXModel("dev.candor.bench", 1L);
        ImmutableFeatureMap features = model.getFeatureIDMap();
        int width = features.size();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < width; i++) names.add(features.get(i).getName());
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < model.getOutputIDInfo().size(); i++) classes.add(model.getOutputIDInfo().getOutput(i).getLabel());
        int positive = classes.indexOf("malignant");

        float[][] trainRows = rows(train, features);
        List<Example<Label>> testExamples = new ArrayList<>();
        for (Example<Label> e : test) testExamples.add(e);
        nRows = Math.min(nRows, testExamples.size());
        naiveRows = Math.min(naiveRows, nRows);
        testExamples = testExamples.subList(0, nRows);
        float[][] x = rows(testExamples, features);

        try (OnnxPredictor onnx = OnnxPredictor.open(proto.toByteArray(),
                OnnxPredictor.Options.of(null, "output").withLabels(classes).withBatchSize(8192)
                        .withSession(SessionSettings.defaults().withIntraOpThreads(1)))) {
            checkAgreement(model, onnx, testExamples, x, positive);
            TimedPredictor timed = new TimedPredictor(onnx);
            Background background = Background.kMeans(trainRows, nBackground, SEED);
            Players players = Players.singletons(names);
            KernelShap.Options options = KernelShap.Options.defaults().withSampleBudget(budgetArg).withSeed(SEED);
            int budget = options.budgetFor(width);
            KernelShap candor = new KernelShap(timed, background, players, options);
            KernelShap candor1 = new KernelShap(timed, background, players, options.withThreads(1));
            LIMEBase lime = new LIMEBase(new SplittableRandom(SEED), model, new LARSLassoTrainer(), budget);
            float[][] bgRows = new float[background.size()][width];
            for (int b = 0; b < bgRows.length; b++) System.arraycopy(background.rows(), b * width, bgRows[b], 0, width);
            NaiveKernelShap naive = new NaiveKernelShap(onnx, bgRows, background.weights(), budget, positive);

            System.out.printf(Locale.ROOT, "KernelSHAP vs baselines: %d test rows, %d features, %d background rows"
                    + " (k-means), %d coalitions, %d cores, Java %s, ONNX Runtime on %s%n", nRows, width,
                    background.size(), budget, cores, System.getProperty("java.version"), onnx.provider());
            System.out.println("warm-up...");
            candor.explainAll(java.util.Arrays.copyOf(x, Math.min(4, nRows)));
            for (int i = 0; i < Math.min(2, nRows); i++) {
                lime.explain(testExamples.get(i));
                naive.explain(x[i], SEED + i);
            }

            // Candor is fast enough that one pass over the rows is short: repeat passes for at least a second.
            List<ShapValues> all = candor.explainAll(x);
            long t0 = System.nanoTime();
            int reps = 0;
            do {
                candor.explainAll(x);
                reps++;
            } while (System.nanoTime() - t0 < 1_000_000_000L);
            double candorS = (System.nanoTime() - t0) / 1e9 / reps;
            long evalsPerExplanation = all.get(0).modelEvaluations();

            timed.reset();
            List<ShapValues> one = candor1.explainAll(x);
            t0 = System.nanoTime();
            int reps1 = 0;
            timed.reset();
            do {
                candor1.explainAll(x);
                reps1++;
            } while (System.nanoTime() - t0 < 1_000_000_000L);
            double candor1S = (System.nanoTime() - t0) / 1e9 / reps1;
            double candor1ModelS = timed.nanos.get() / 1e9 / reps1;
            long candor1Calls = timed.calls.get() / reps1;
            double solveS = solveTime(x.length, budget, width, classes.size());

            t0 = System.nanoTime();
            for (Example<Label> e : testExamples) lime.explain(e);
            double limeS = (System.nanoTime() - t0) / 1e9;

            naive.resetCounters();
            double maxDiff = 0;
            t0 = System.nanoTime();
            for (int i = 0; i < naiveRows; i++) {
                double[] phi = naive.explain(x[i], SEED + i);
                for (int j = 0; j < width; j++) maxDiff = Math.max(maxDiff, Math.abs(phi[j] - all.get(i).value(positive, j)));
            }
            double naiveS = (System.nanoTime() - t0) / 1e9;
            long naiveCalls = naive.calls;

            double candorRate = nRows / candorS;
            double candor1Rate = nRows / candor1S;
            double limeRate = nRows / limeS;
            double naiveRate = naiveRows / naiveS;
            System.out.printf(Locale.ROOT, "%n%-44s %12s %14s %12s%n", "explainer", "expl/s", "model evals/expl", "model calls/expl");
            System.out.printf(Locale.ROOT, "%-44s %12.2f %14d %12.1f%n", "Candor KernelSHAP, ONNX RT, " + cores + " threads",
                    candorRate, evalsPerExplanation, (double) candor1Calls / nRows);
            System.out.printf(Locale.ROOT, "%-44s %12.2f %14d %12.1f%n", "Candor KernelSHAP, ONNX RT, 1 thread",
                    candor1Rate, one.get(0).modelEvaluations(), (double) candor1Calls / nRows);
            System.out.printf(Locale.ROOT, "%-44s %12.2f %14d %12d%n", "Tribuo LIME (LARS-lasso), Tribuo model, 1 thread",
                    limeRate, budget + 1L, budget + 1L);
            System.out.printf(Locale.ROOT, "%-44s %12.2f %14d %12.1f%n", "naive KernelSHAP, ONNX RT, 1 row per call",
                    naiveRate, naiveCalls / naiveRows, (double) naiveCalls / naiveRows);
            System.out.printf(Locale.ROOT, "%nratios: Candor/Tribuo-LIME %.1fx (1 thread: %.1fx); Candor/naive %.1fx"
                    + " (1 thread: %.1fx)%n", candorRate / limeRate, candor1Rate / limeRate, candorRate / naiveRate,
                    candor1Rate / naiveRate);
            System.out.printf(Locale.ROOT, "check: naive vs Candor values of '%s', max |diff| %.4f (different coalition"
                    + " draws, both sampled)%n", classes.get(positive), maxDiff);

            System.out.printf(Locale.ROOT, "%nwhere the time goes, per explanation (ms):%n");
            double perM = 1e3 / nRows;
            double rest = candor1S - candor1ModelS - solveS;
            System.out.printf(Locale.ROOT, "  Candor, 1 thread: model calls %.2f, building rows and bookkeeping %.2f,"
                    + " solve %.2f (total %.2f)%n", candor1ModelS * perM, rest * perM, solveS * perM, candor1S * perM);
            double pn = 1e3 / naiveRows;
            System.out.printf(Locale.ROOT, "  naive:            model calls %.2f, building rows %.2f, solve %.2f"
                    + " (total %.2f)%n", naive.modelNanos / 1e9 * pn, naive.buildNanos / 1e9 * pn,
                    naive.solveNanos / 1e9 * pn, naiveS * pn);
        }
        System.out.println();
        TreeShapBench.run(rawTrain, rows(rawTrain, rawTrain.getFeatureIDMap()), java.util.Arrays.copyOf(rows(rawTest, rawTrain.getFeatureIDMap()), nRows), 10, 20, 6, SEED);
    }

    /** Tribuo's and ONNX Runtime's probabilities agree, or the comparison would be between different models. */
    private static void checkAgreement(Model<Label> model, Predictor onnx, List<Example<Label>> examples, float[][] x,
                                       int positive) {
        float[][] p = onnx.predict(x);
        for (int i = 0; i < examples.size(); i++) {
            double tribuo = model.predict(examples.get(i)).getOutputScores().get("malignant").getScore();
            if (Math.abs(tribuo - p[i][positive]) > 1e-4) {
                throw new IllegalStateException("row " + i + ": Tribuo gives " + tribuo + ", ONNX Runtime "
                        + p[i][positive] + "; the exported model differs");
            }
        }
    }

    /** Times the constrained least squares alone, at the size KernelSHAP solves, once per row. */
    private static double solveTime(int rows, int coalitions, int m, int outputs) {
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] z = new double[coalitions * m];
        for (int i = 0; i < z.length; i++) z[i] = rng.nextInt(2);
        double[] w = new double[coalitions];
        double[][] ys = new double[outputs][coalitions];
        for (int c = 0; c < coalitions; c++) {
            w[c] = rng.nextDouble();
            for (double[] y : ys) y[c] = rng.nextDouble();
        }
        double[] totals = new double[outputs];
        LinearSolve.constrainedWeightedLeastSquares(z, ys, w, coalitions, m, totals);
        long t0 = System.nanoTime();
        for (int r = 0; r < rows; r++) LinearSolve.constrainedWeightedLeastSquares(z, ys, w, coalitions, m, totals);
        return (System.nanoTime() - t0) / 1e9;
    }

    static float[][] rows(Iterable<Example<Label>> examples, ImmutableFeatureMap features) {
        List<float[]> out = new ArrayList<>();
        for (Example<Label> e : examples) {
            float[] row = new float[features.size()];
            for (Feature f : e) row[features.getID(f.getName())] = (float) f.getValue();
            out.add(row);
        }
        return out.toArray(new float[0][]);
    }

    /** Counts the calls and nanoseconds spent in the wrapped model (summed over threads). */
    static final class TimedPredictor implements Predictor {
        final Predictor inner;
        final AtomicLong nanos = new AtomicLong();
        final AtomicLong calls = new AtomicLong();

        TimedPredictor(Predictor inner) {
            this.inner = inner;
        }

        void reset() {
            nanos.set(0);
            calls.set(0);
        }

        @Override
        public int inputWidth() {
            return inner.inputWidth();
        }

        @Override
        public List<String> outputNames() {
            return inner.outputNames();
        }

        @Override
        public void predict(float[] rows, int n, float[] out) {
            long t0 = System.nanoTime();
            inner.predict(rows, n, out);
            nanos.addAndGet(System.nanoTime() - t0);
            calls.incrementAndGet();
        }
    }

    private ShapBench() {
    }
}

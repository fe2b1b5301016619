package dev.candor.bench;

import dev.candor.pipeline.exec.EngineSettings;
import dev.candor.pipeline.exec.Executor;
import dev.candor.pipeline.exec.RunListener;
import dev.candor.pipeline.exec.RunResult;
import dev.candor.pipeline.spec.PipelineLoader;
import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.registry.DbConfig;
import dev.candor.registry.RegistryDb;
import dev.candor.stages.spi.StageCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tribuo.DataSource;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * Candor's overhead: the same train-and-evaluate (breast-cancer CSV → logistic regression, 30 epochs, AdaGrad 0.5,
 * standardized features → test metrics) done by a plain Tribuo program and by a Candor pipeline, in one JVM,
 * alternating, after a warm-up of each. Candor does more (Beam ingestion with statistics, a stratified 3-way split,
 * ONNX export, ONNX scoring in Beam, bootstrap intervals, the registry): the ratio says what that costs. The cached
 * rerun is timed too.
 */
public final class OverheadBench {
    private static final int EPOCHS = 30;
    private static final double LR = 0.5;
    private static List<dev.candor.pipeline.exec.StageOutcome> LAST_STAGES = List.of();

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        java.util.logging.LogManager.getLogManager().reset(); // Tribuo's progress lines (java.util.logging) off
        Path work = Files.createTempDirectory("candor-bench-");
        Path csv = work.resolve("breast_cancer_wisconsin.csv");
        Path source = Path.of("examples/breast-cancer/data/breast_cancer_wisconsin.csv");
        if (!Files.isRegularFile(source)) throw new IllegalStateException("run from the repository root: " + source + " is missing");
        Files.copy(source, csv, StandardCopyOption.REPLACE_EXISTING);
        Path yaml = work.resolve("pipeline.yaml");
        Files.writeString(yaml, """
                apiVersion: candor/v1
                kind: Pipeline
                metadata: {name: bench-overhead}
                spec:
                  seed: 42
                  stages:
                    - {id: data, type: ingest.csv, with: {path: breast_cancer_wisconsin.csv, label: diagnosis}}
                    - {id: lr, type: train.tribuo, inputs: [data], with: {algorithm: logistic-regression, epochs: %d, learning_rate: %s}}
                    - {id: eval, type: evaluate, inputs: [lr], with: {positive_class: malignant}}
                """.formatted(EPOCHS, LR));
        StageCatalog catalog = StageCatalog.load();
        PipelineSpec spec = new PipelineLoader(catalog, List.of()).load(yaml);

        System.out.printf("warm-up (1 run each)...%n");
        plainTribuo(csv);
        candor(spec, catalog, work.resolve("warmup"), false);

        double[] plain = new double[repeats];
        double[] fresh = new double[repeats];
        double[] cached = new double[repeats];
        java.util.Map<String, double[]> stageMs = new java.util.LinkedHashMap<>();
        for (int i = 0; i < repeats; i++) {
            plain[i] = plainTribuo(csv);
            double[] c = candor(spec, catalog, work.resolve("home-" + i), true);
            fresh[i] = c[0];
            cached[i] = c[1];
            for (int k = 0; k < LAST_STAGES.size(); k++) {
                stageMs.computeIfAbsent(LAST_STAGES.get(k).stageId(), id -> new double[repeats])[i] = LAST_STAGES.get(k).durationMs();
            }
            System.out.printf(Locale.ROOT, "  round %d: plain Tribuo %.0f ms, Candor %.0f ms, Candor cached rerun %.0f ms%n", i + 1, plain[i], fresh[i], cached[i]);
        }
        double p = median(plain);
        double f = median(fresh);
        double c = median(cached);
        System.out.printf(Locale.ROOT, "%nmedian of %d rounds (%d cores, Java %s):%n", repeats, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "  plain Tribuo program           %8.0f ms%n", p);
        System.out.printf(Locale.ROOT, "  Candor pipeline, fresh         %8.0f ms   overhead ratio %.2fx%n", f, f / p);
        System.out.printf(Locale.ROOT, "  Candor pipeline, cached rerun  %8.0f ms   %.1f%% of the fresh run%n", c, 100 * c / f);
        System.out.printf(Locale.ROOT, "where a fresh Candor run spends its time (median per stage; the rest is the registry and planning):%n");
        stageMs.forEach((id, ms) -> System.out.printf(Locale.ROOT, "  %-8s %8.0f ms%n", id, median(ms)));
    }

    /** Load, split 80/20, standardize, train, evaluate: the textbook Tribuo program. Returns milliseconds. */
    static double plainTribuo(Path csv) throws Exception {
        long t0 = System.nanoTime();
        CSVLoader<Label> loader = new CSVLoader<>(new LabelFactory());
        DataSource<Label> source = loader.loadDataSource(csv, "diagnosis");
        TrainTestSplitter<Label> splitter = new TrainTestSplitter<>(source, 0.8, 42L);
        MutableDataset<Label> train = new MutableDataset<>(splitter.getTrain());
        MutableDataset<Label> test = new MutableDataset<>(splitter.getTest());
        LinearSGDTrainer inner = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(LR, 0.1), EPOCHS, 1000, 16, 42L);
        TransformTrainer<Label> trainer = new TransformTrainer<>(inner, new TransformationMap(List.of(new MeanStdDevTransformation())));
        Model<Label> model = trainer.train(train);
        LabelEvaluation eval = new LabelEvaluator().evaluate(model, test);
        double auc = eval.AUCROC(new Label("malignant"));
        if (!(auc > 0.9)) throw new IllegalStateException("the plain Tribuo baseline did not learn: AUC " + auc);
        return (System.nanoTime() - t0) / 1e6;
    }

    /** A fresh Candor home (no cache), then the same pipeline again (all cached). Returns {fresh ms, cached ms}. */
    static double[] candor(PipelineSpec spec, StageCatalog catalog, Path home, boolean measure) throws Exception {
        Files.createDirectories(home);
        try (RegistryDb db = RegistryDb.open(DbConfig.h2(home))) {
            Executor executor = new Executor(catalog, new ArtifactStore(home.resolve("artifacts")), db.registry(), EngineSettings.defaults());
            long t0 = System.nanoTime();
            RunResult first = executor.run(spec, RunListener.NONE);
            long t1 = System.nanoTime();
            RunResult second = executor.run(spec, RunListener.NONE);
            long t2 = System.nanoTime();
            if (!first.succeeded() || !second.succeeded()) throw new IllegalStateException("the Candor pipeline failed: " + first.failure() + " / " + second.failure());
            if (second.stages().stream().anyMatch(s -> !s.cached())) throw new IllegalStateException("the rerun was not fully cached");
            LAST_STAGES = first.stages();
            return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
        }
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private OverheadBench() {
    }

}

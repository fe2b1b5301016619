package dev.candor.pipeline.exec;

import dev.candor.stages.spi.LocalStageContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam pipeline options for the runner a pipeline names: {@code direct} (embedded, default), {@code flink}, {@code spark}.
 *
 * <p>The Flink and Spark runners are optional parts of the build (Maven profiles {@code -Pflink}, {@code -Pspark}), so
 * this class never links against them: it names the runner class and lets Beam's option registrars, which come with
 * the runner's jar, accept the runner's own options.
 *
 * <ul>
 *   <li>{@code flink}: an embedded Flink mini cluster in this JVM ({@code flinkMaster [local]}) with one slot per
 *       core, or a running Flink cluster's JobManager REST address given by {@code CANDOR_FLINK_MASTER}
 *       ({@code host:port}, e.g. {@code flink-jm:8081}).</li>
 *   <li>{@code spark}: Spark in this JVM ({@code local[N]}, N = cores), or the master URL in
 *       {@code CANDOR_SPARK_MASTER} (e.g. {@code spark://host:7077}).</li>
 * </ul>
 * {@code CANDOR_RUNNER_PARALLELISM} overrides the parallelism of both (default: the number of cores).
 */
public final class BeamRunners {
    static final String FLINK_RUNNER = "org.apache.beam.runners.flink.FlinkRunner";
    static final String SPARK_RUNNER = "org.apache.beam.runners.spark.SparkRunner";

    private BeamRunners() {
    }

    public static PipelineOptions options(String runner) {
        return options(runner, System.getenv());
    }

    /** As {@link #options(String)}, reading the {@code CANDOR_*} settings from {@code env}. */
    static PipelineOptions options(String runner, Map<String, String> env) {
        String r = runner == null ? "direct" : runner.toLowerCase(Locale.ROOT);
        int parallelism = parallelism(env);
        return switch (r) {
            case "direct" -> LocalStageContext.directRunnerOptions();
            case "flink" -> external(FLINK_RUNNER, "flink", List.of(
                    "--flinkMaster=" + env.getOrDefault("CANDOR_FLINK_MASTER", "[local]"),
                    "--parallelism=" + parallelism,
                    // A stage's Beam pipeline is a bounded job: run it as a Flink batch job.
                    "--streaming=false",
                    // Candor's DoFns never change their inputs (the DirectRunner runs without its immutability check
                    // too), so Flink need not deep-copy every element between operators.
                    "--fasterCopy=true"));
            case "spark" -> spark(parallelism, env);
            default -> throw new IllegalArgumentException("runner '" + runner + "' is not one of direct, flink, spark");
        };
    }

    private static PipelineOptions spark(int parallelism, Map<String, String> env) {
        PipelineOptions options = external(SPARK_RUNNER, "spark", List.of(
                "--sparkMaster=" + env.getOrDefault("CANDOR_SPARK_MASTER", "local[" + parallelism + "]")));
        // Spark allows one SparkContext per JVM, and the engine runs independent stages at once: Beam's Spark runner
        // then shares one context among all pipelines (Spark runs their jobs side by side) instead of failing with
        // SPARK-2243. The property's name says "test", but it is the runner's only switch for a shared context
        // short of handing it one (which would link Candor against Spark).
        System.setProperty("beam.spark.test.reuseSparkContext", "true");
        return options;
    }

    private static int parallelism(Map<String, String> env) {
        String value = env.get("CANDOR_RUNNER_PARALLELISM");
        if (value == null || value.isBlank()) return Math.max(1, Runtime.getRuntime().availableProcessors());
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // falls through to the error below, which says what was expected
        }
        throw new IllegalArgumentException("CANDOR_RUNNER_PARALLELISM is '" + value
                + "', expected a whole number >= 1 (or unset, for one worker per core)");
    }

    /** Options for {@code className}, or the error that says which build profile brings it in. */
    static PipelineOptions external(String className, String name, List<String> args) {
        try {
            Class.forName(className, false, BeamRunners.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("runner '" + name + "' is not in this build of Candor (" + className
                    + " is not on the class path): it ships the embedded direct runner only by default; use runner: direct,"
                    + " or build with -P" + name + " (mvn -B -DskipTests -P" + name + " package; see README, 'Configuration')");
        }
        String[] all = new String[args.size() + 1];
        all[0] = "--runner=" + className;
        for (int i = 0; i < args.size(); i++) all[i + 1] = args.get(i);
        return PipelineOptionsFactory.fromArgs(all).create();
    }
}

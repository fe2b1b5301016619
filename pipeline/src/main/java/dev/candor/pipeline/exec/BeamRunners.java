package dev.candor.pipeline.exec;

import dev.candor.stages.spi.LocalStageContext;
import java.util.Locale;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Beam pipeline options for the runner a pipeline names: {@code direct} (embedded, default), {@code flink}, {@code spark}. */
public final class BeamRunners {
    private BeamRunners() {
    }

    public static PipelineOptions options(String runner) {
        String r = runner == null ? "direct" : runner.toLowerCase(Locale.ROOT);
        return switch (r) {
            case "direct" -> LocalStageContext.directRunnerOptions();
            case "flink" -> external("org.apache.beam.runners.flink.FlinkRunner", "flink");
            case "spark" -> external("org.apache.beam.runners.spark.SparkRunner", "spark");
            default -> throw new IllegalArgumentException("runner '" + runner + "' is not one of direct, flink, spark");
        };
    }

    @SuppressWarnings("unchecked")
    private static PipelineOptions external(String className, String name) {
        try {
            Class<? extends PipelineRunner<?>> cls = (Class<? extends PipelineRunner<?>>) Class.forName(className);
            PipelineOptions options = PipelineOptionsFactory.create();
            options.setRunner(cls);
            return options;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("runner '" + name + "' is not in this build of Candor: it ships the embedded "
                    + "direct runner only; use runner: direct, or build the " + name + " runner in (see README, 'Runners')");
        }
    }
}

package dev.candor.stages.internal;

import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.StageContext;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/**
 * Runs a stage's Beam pipeline to the end while reporting progress from one Beam counter, and turns a failure into
 * the user's own error (bad data, a device that will not start) rather than Beam's wrapper around it.
 */
public final class BeamRuns {

    private BeamRuns() {
    }

    /**
     * Options for a pipeline the stage watches: not blocking in {@code run()} lets the stage's thread report progress
     * while the DirectRunner works; other runners ignore the option.
     */
    public static PipelineOptions watchedOptions(StageContext context) {
        PipelineOptions options = context.beamOptions();
        options.as(DirectOptions.class).setBlockOnRun(false);
        return options;
    }

    /**
     * Runs {@code pipeline} and waits for it, updating {@code context.progress()} with the counter
     * {@code namespace/counter} as {@code unit} out of {@code total} twice a second.
     *
     * @param what what the pipeline does, for the message when it ends in another state than DONE
     */
    public static void runWatched(Pipeline pipeline, StageContext context, String namespace, String counter,
                                  String unit, long total, String what) {
        PipelineResult result = pipeline.run();
        try {
            PipelineResult.State state = null;
            while (state == null || !state.isTerminal()) {
                state = result.waitUntilFinish(Duration.millis(500));
                context.progress().update(unit, counted(result, namespace, counter), total);
            }
            if (state != PipelineResult.State.DONE) {
                throw new IllegalStateException("the " + what + " pipeline ended " + state);
            }
        } catch (Pipeline.PipelineExecutionException e) {
            throw unwrap(e);
        }
    }

    private static long counted(PipelineResult result, String namespace, String counter) {
        long n = 0;
        try {
            for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, counter)).build()).getCounters()) {
                n += c.getAttempted();
            }
        } catch (UnsupportedOperationException e) {
            return 0;   // a runner without metrics: progress stays at 0 until the end
        }
        return n;
    }

    /** The user's own error rather than Beam's wrapper around it. */
    public static RuntimeException unwrap(Pipeline.PipelineExecutionException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof DataException || t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
                return (RuntimeException) t;
            }
        }
        return e;
    }
}

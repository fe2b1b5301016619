package dev.candor.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which runner each name gives; the Flink and Spark cases that need their profile are in {@link FlinkRunnerTest} and {@link SparkRunnerTest}. */
class BeamRunnersTest {

    @Test
    void directIsTheDefault() {
        assertThat(BeamRunners.options(null).getRunner()).isEqualTo(DirectRunner.class);
        assertThat(BeamRunners.options("DIRECT").getRunner()).isEqualTo(DirectRunner.class);
    }

    @Test
    void anUnknownRunnerSaysWhichAreKnown() {
        assertThatThrownBy(() -> BeamRunners.options("dataflow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runner 'dataflow' is not one of direct, flink, spark");
    }

    @Test
    void aBadParallelismSaysWhatWasExpected() {
        assertThatThrownBy(() -> BeamRunners.options("flink", Map.of("CANDOR_RUNNER_PARALLELISM", "0")))
                .hasMessageContaining("CANDOR_RUNNER_PARALLELISM is '0', expected a whole number >= 1");
    }

    /** Excluded under -Pflink, where the runner is there. */
    @Test
    @Tag("needs-no-flink")
    void flinkWithoutItsProfileNamesTheProfile() {
        assertThatThrownBy(() -> BeamRunners.options("flink"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runner 'flink' is not in this build of Candor")
                .hasMessageContaining("build with -Pflink")
                .hasMessageContaining("use runner: direct");
    }

    /** Excluded under -Pspark, where the runner is there. */
    @Test
    @Tag("needs-no-spark")
    void sparkWithoutItsProfileNamesTheProfile() {
        assertThatThrownBy(() -> BeamRunners.options("spark"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runner 'spark' is not in this build of Candor")
                .hasMessageContaining("build with -Pspark");
    }
}

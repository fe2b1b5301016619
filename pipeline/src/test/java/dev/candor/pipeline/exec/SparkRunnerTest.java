package dev.candor.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark runner in this JVM ({@code local[N]}): only under {@code -Pspark} (tag {@code spark}). */
@Tag("spark")
class SparkRunnerTest {

    @TempDir
    Path dir;

    @Test
    void sparkOptionsRunLocallyOrOnTheMasterNamed() {
        assertThat(BeamRunners.options("spark", Map.of("CANDOR_RUNNER_PARALLELISM", "3")).toString())
                .contains("SparkRunner").contains("sparkMaster: local[3]");
        assertThat(BeamRunners.options("spark", Map.of("CANDOR_SPARK_MASTER", "spark://spark-master:7077")).toString())
                .contains("sparkMaster: spark://spark-master:7077");
    }

    @Test
    void breastCancerOnSparkGivesTheDirectRunnersMetricsAndBytes() throws Exception {
        RunnerParity.assertSameAsDirect(dir, "spark");
    }
}

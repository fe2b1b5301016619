package dev.candor.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink runner, embedded: only under {@code -Pflink} (tag {@code flink}). Determinism is a promise of the product,
 * so the same pipeline on Flink must give what it gives on the DirectRunner, metric for metric and byte for byte.
 */
@Tag("flink")
class FlinkRunnerTest {

    @TempDir
    Path dir;

    @Test
    void flinkOptionsRunAnEmbeddedClusterOrTheOneNamed() {
        String local = BeamRunners.options("flink", Map.of()).toString();
        assertThat(local).contains("FlinkRunner").contains("flinkMaster: [local]")
                .contains("parallelism: " + Runtime.getRuntime().availableProcessors());
        String remote = BeamRunners.options("flink", Map.of("CANDOR_FLINK_MASTER", "flink-jm:8081",
                "CANDOR_RUNNER_PARALLELISM", "8")).toString();
        assertThat(remote).contains("flinkMaster: flink-jm:8081").contains("parallelism: 8");
    }

    @Test
    void breastCancerOnFlinkGivesTheDirectRunnersMetricsAndBytes() throws Exception {
        RunnerParity.assertSameAsDirect(dir, "flink");
    }
}

package dev.candor.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read records go to JSON and back unchanged, as the CLI prints them and the dashboard returns them. */
class JsonShapeTest {
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void runDetailRoundTrips() throws Exception {
        Instant start = Instant.parse("2026-05-01T10:00:00.123456Z");
        RunSummary summary = new RunSummary("r1", "credit-risk", "SUCCEEDED", start, start.plusSeconds(3), 3000L, 2, 1,
                "eval", Map.of("roc_auc", 0.81));
        RunDetail detail = new RunDetail(summary, 7L, "direct", "cpu", "0.1.0", "credit.yaml", "ab".repeat(32), null,
                List.of(new StageRunView("s1", "train", "train.tribuo", 1, "SUCCEEDED", start, 1200L, true, "same fingerprint",
                                "s0", "cd".repeat(32), "logistic regression", null,
                                new ArtifactView("a1", "MODEL", "file:///m.onnx", "ef".repeat(32), 1024L)),
                        new StageRunView("s2", "report", "report", 2, "SKIPPED", null, null, false, null, null,
                                "01".repeat(32), "not run", null, null)),
                List.of(new MetricView("eval", "roc_auc", 0.81, "test", null)));

        String json = mapper.writeValueAsString(detail);
        assertThat(json).contains("\"startedAt\":\"2026-05-01T10:00:00.123456Z\"", "\"keyMetrics\":{\"roc_auc\":0.81}",
                "\"output\":{\"id\":\"a1\",\"kind\":\"MODEL\"");
        assertThat(mapper.readValue(json, RunDetail.class)).isEqualTo(detail);
    }
}

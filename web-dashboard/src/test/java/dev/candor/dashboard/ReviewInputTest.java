package dev.candor.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;

import dev.candor.registry.ArtifactRecord;
import dev.candor.registry.DbConfig;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.InputLimits;
import dev.candor.registry.RegistryLimits;
import dev.candor.registry.ModelStatus;
import dev.candor.registry.NewRun;
import dev.candor.registry.Registry;
import dev.candor.registry.StageStart;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reviews and inputs through the dashboard's HTTP routes (issue 9, items 6 and 7): 40 parallel rejections of each model
 * write one audit event each; a name with a line break is refused and never reaches the log as a line of its own;
 * an input longer than its column is a 400 naming the field and the limit; and no hostile input makes any route
 * answer 500.
 */
@QuarkusTest
@QuarkusTestResource(value = FixtureHomeResource.class, restrictToAnnotatedClass = true)
class ReviewInputTest {
    private static final List<String> LOGGED = new CopyOnWriteArrayList<>();
    private static final java.util.logging.Logger DASHBOARD_LOG = java.util.logging.Logger.getLogger("dev.candor.dashboard");
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            LOGGED.add(r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Inject
    Registry registry;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void captureTheLog() {
        DASHBOARD_LOG.addHandler(CAPTURE);
    }

    @AfterAll
    static void stopCapturing() {
        DASHBOARD_LOG.removeHandler(CAPTURE);
    }

    @Test
    void fortyParallelRejectionsOfEachModelThroughTheRouteWriteOneAuditEventEach() throws Exception {
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            versions.add(succeededModel("parallel-" + i));
        }
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            for (String mv : versions) {
                String form = "actor=" + URLEncoder.encode("reviewer " + n, StandardCharsets.UTF_8) + "&reason="
                        + URLEncoder.encode("reason " + n, StandardCharsets.UTF_8);
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(root + "models/" + mv + "/reject"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            assertThat(a.get().statusCode()).as(a.get().body()).isEqualTo(303);
        }
        for (String mv : versions) {
            assertThat(registry.modelStatus(mv)).isEqualTo(ModelStatus.REJECTED);
            assertThat(auditEvents(mv, "model.rejected")).as("rejection events of " + mv).isEqualTo(1);
            assertThat(LOGGED.stream().filter(l -> l.contains("(" + mv + ") rejected by"))).hasSize(1);
            assertThat(LOGGED.stream().filter(l -> l.contains("(" + mv + ") was rejected already"))).hasSize(39);
        }
    }

    @Test
    void aLineBreakInANameIsRefusedAndNeverForgesALogLine() throws Exception {
        String mv = succeededModel("injection");
        String forged = "Mallory\nINFO  [dev.candor.dashboard.ModelActions] model credit v1 approved by admin";
        given().redirects().follow(false).formParam("actor", forged).post("/models/" + mv + "/approve").then()
                .statusCode(400).contentType(containsString("text/html"))
                .body(containsString("control character U+000A at position 8"), containsString("(actor)"));
        given().redirects().follow(false).formParam("actor", "Eve").formParam("reason", "fine\r\nERROR forged")
                .post("/models/" + mv + "/reject").then().statusCode(400).body(containsString("control character U+000D"));
        given().redirects().follow(false).formParam("actor", "Eve").post("/models/" + mv + "%0Aforged/approve").then()
                .statusCode(404);
        assertThat(registry.modelStatus(mv)).isEqualTo(ModelStatus.CANDIDATE);
        assertThat(auditEvents(mv, "model.approved")).isZero();

        given().redirects().follow(false).formParam("actor", "Dr. O\"Brien \\ Jr.").post("/models/" + mv + "/approve").then()
                .statusCode(303);
        assertThat(LOGGED).anySatisfy(l -> assertThat(l).contains("(" + mv + ") approved by \"Dr. O\\\"Brien \\\\ Jr.\""));
        assertThat(LOGGED).as("every record of the dashboard's log is one line").isNotEmpty()
                .allSatisfy(l -> assertThat(l).doesNotContain("\n").doesNotContain("\r"));
    }

    @Test
    void anInputLongerThanItsColumnIsA400NamingTheFieldAndTheLimit() throws Exception {
        String mv = succeededModel("lengths");
        given().redirects().follow(false).formParam("actor", "a".repeat(RegistryLimits.ACTOR + 1)).post("/models/" + mv + "/approve")
                .then().statusCode(400).body(containsString("(actor) is 201 characters long; at most 200 are allowed"));
        given().redirects().follow(false).formParam("actor", "a").formParam("reason", "r".repeat(InputLimits.REASON + 1))
                .post("/models/" + mv + "/reject").then().statusCode(400)
                .body(containsString("reason&quot; is 4001 characters long; at most 4000 are allowed"));
        given().redirects().follow(false).formParam("actor", "a".repeat(2_000_000)).post("/models/" + mv + "/approve")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("a name has at most 200 characters and a reason at most 4000"));
        String runId = registry.modelVersion(mv).orElseThrow().runId();
        given().get("/runs/" + runId).then().statusCode(200)
                .body(containsString("maxlength=\"" + RegistryLimits.ACTOR + "\""), containsString("maxlength=\"" + InputLimits.REASON + "\""));
        given().redirects().follow(false).formParam("actor", "a".repeat(RegistryLimits.ACTOR)).post("/models/" + mv + "/approve")
                .then().statusCode(303);
        assertThat(registry.modelStatus(mv)).isEqualTo(ModelStatus.APPROVED);
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("actor", "é".repeat(RegistryLimits.ACTOR)).formParam("reason", "😀".repeat(InputLimits.REASON / 2))
                .post("/models/" + mv + "/reject").then().statusCode(303);
        assertThat(registry.modelStatus(mv)).as("a reason at the limit, 4 bytes a character").isEqualTo(ModelStatus.REJECTED);

        given().queryParam("limit", "abc").get("/api/runs").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("limit must be a whole number from 1 to 10000, got 'abc'"));
        given().queryParam("run", "x".repeat(500), "y").get("/api/compare").then().statusCode(400)
                .body("detail", containsString("(500 characters; ids have at most 36) cannot be a run id"));
    }

    @Test
    void noHostileInputMakesAnyRouteAnswer500() {
        String runId = registry.modelVersion(succeededModel("fuzz")).orElseThrow().runId();
        List<String> hostile = List.of("x".repeat(3_000), "\n", "line\r\nbreak", "%", "_", "%25", "..", "../../etc/passwd",
                " ", "\u0000", "\u202e\u2028", "é😀", "'; DROP TABLE run; --", "<script>", "-", runId + "x");
        int asked = 0;
        for (String v : hostile) {
            for (String path : List.of("/runs/{v}", "/runs/{v}/report", "/runs/{v}/report.pdf", "/api/runs/{v}",
                    "/api/runs/{v}/models")) {
                given().redirects().follow(false).pathParam("v", v).get(path).then().statusCode(lessThan(500));
                asked++;
            }
            given().queryParam("limit", v).get("/api/runs").then().statusCode(lessThan(500));
            given().queryParam("run", v, runId).get("/compare").then().statusCode(lessThan(500));
            given().queryParam("run", v, v, v, v, v, v).get("/api/compare").then().statusCode(lessThan(500));
            given().redirects().follow(false).pathParam("v", v).formParam("actor", v).post("/models/{v}/approve").then()
                    .statusCode(lessThan(500));
            given().redirects().follow(false).pathParam("v", v).formParam("actor", v).formParam("reason", v)
                    .post("/models/{v}/reject").then().statusCode(lessThan(500));
            asked += 5;
        }
        given().queryParam("run", java.util.Collections.nCopies(50, runId).toArray()).get("/api/compare").then()
                .statusCode(400).body("detail", containsString("got 50"));
        given().redirects().follow(false).contentType("application/json").body("{}").post("/models/x/approve").then()
                .statusCode(lessThan(500));
        assertThat(asked).isEqualTo(hostile.size() * 10);
    }

    private int auditEvents(String modelVersionId, String action) throws Exception {
        DbConfig db = DbConfig.resolve(FixtureHomeResource.home, null);
        try (Connection c = RegistryDb.connection(db);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_event WHERE entity_id = ? AND action = ?")) {
            ps.setString(1, modelVersionId);
            ps.setString(2, action);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A run that SUCCEEDED with one registered model, inserted through the dashboard's registry; its version id. */
    private String succeededModel(String pipeline) {
        String yaml = "fixture: " + pipeline + "\n";
        String run = registry.createRun(new NewRun(pipeline, pipeline + ".yaml", yaml, ReportPdf.sha256(yaml), 1, "direct",
                "cpu", "test", "fixture"));
        String content = run + "/model";
        String stageRun = registry.startStage(run, new StageStart("train", "train.tribuo", 0, ReportPdf.sha256(content), "{}", "{}"));
        String artifact = registry.putArtifact(new ArtifactRecord(null, "MODEL", "file:///fixture/" + ReportPdf.sha256(content),
                ReportPdf.sha256(content), 1, Map.of()));
        registry.finishStageRan(stageRun, artifact, List.of(), "trained", null, List.of());
        String version = registry.registerModelVersion(pipeline + "/train", run, stageRun, artifact);
        registry.finishRunWithGates(run, List.of());
        return version;
    }
}

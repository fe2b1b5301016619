package dev.candor.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.candor.registry.ArtifactRecord;
import dev.candor.registry.EvaluationView;
import dev.candor.registry.FindingRecord;
import dev.candor.registry.GateRecord;
import dev.candor.registry.GateResultView;
import dev.candor.registry.MetricRecord;
import dev.candor.registry.MetricView;
import dev.candor.registry.ModelStatus;
import dev.candor.registry.ModelVersionView;
import dev.candor.registry.NewRun;
import dev.candor.registry.Registry;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunSummary;
import dev.candor.registry.StageStart;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard seen through a real headless Chromium (Debian's chromium and chromium-driver, installed by
 * scripts/test-env.sh): the numbers on the pages must be the ones in the registry.
 */
@QuarkusTest
@QuarkusTestResource(value = ExampleRunResource.class, restrictToAnnotatedClass = true)
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static WebDriver browser;

    @Inject
    Registry registry;

    @Inject
    ReportPdf pdfPrinter;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void startBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Chromium or ChromeDriver is missing (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): run scripts/test-env.sh, which installs Debian's chromium and chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.quit();
    }

    @Test
    void runsPageListsTheExampleRunWithItsRegistryMetrics() {
        RunSummary run = example();
        assertThat(run.status()).isEqualTo("SUCCEEDED");

        browser.get(root.toString());
        WebElement row = browser.findElement(By.cssSelector("tr[data-run='" + run.id() + "']"));
        assertThat(row.getText()).contains("breast-cancer").contains("succeeded");
        assertThat(run.keyStage()).as("the headline is the first evaluation listed").isEqualTo("eval_lr");
        assertThat(row.findElement(By.cssSelector("td[data-key-stage]")).getText()).isEqualTo("eval_lr");
        String shown = row.findElement(By.cssSelector("td[data-metric='roc_auc']")).getText();
        assertThat(shown).isEqualTo(RunPage.format(run.keyMetrics().get("roc_auc")));
    }

    @Test
    void runPageShowsEveryHeadlineMetricAsRecorded() {
        RunDetail run = registry.getRun(example().id()).orElseThrow();
        browser.get(root.toString() + "runs/" + run.summary().id());
        assertThat(browser.findElement(By.id("run-id")).getText()).isEqualTo(run.summary().id());

        int compared = 0;
        for (MetricView m : run.metrics()) {
            if (!"test".equals(m.split()) || m.slice() != null || !EvaluationView.HEADLINE.contains(m.name())) continue;
            WebElement cell = browser.findElement(By.cssSelector("td[data-metric='" + m.stageId() + "/" + m.name() + "']"));
            assertThat(cell.getText()).as("%s/%s", m.stageId(), m.name()).isEqualTo(RunPage.format(m.value()));
            compared++;
        }
        assertThat(compared).as("headline metrics compared").isGreaterThanOrEqualTo(10);

        double auc = run.metrics().stream().filter(m -> m.stageId().equals("eval_lr") && m.name().equals("roc_auc")
                && "test".equals(m.split()) && m.slice() == null).findFirst().orElseThrow().value();
        assertThat(auc).as("logistic regression test ROC AUC on the breast-cancer example").isGreaterThanOrEqualTo(0.97);

        List<WebElement> stages = browser.findElements(By.cssSelector("#stages tbody tr"));
        assertThat(stages).hasSize(run.stages().size());
        assertThat(browser.findElements(By.cssSelector("table.confusion"))).isNotEmpty();
    }

    @Test
    void jsonApiServesTheSameRecordsAndProblemJsonForUnknownRuns() {
        String id = example().id();
        given().get("/api/runs").then().statusCode(200).body("id", hasItem(id));
        RunDetail run = registry.getRun(id).orElseThrow();
        given().get("/api/runs/" + id).then().statusCode(200).body("summary.id", equalTo(id))
                .body("gates", hasSize(2)).body("gates[0].expression", equalTo("eval_lr.roc_auc >= 0.95"))
                .body("gates[0].passed", equalTo(true))
                .body("gates[0].values.'eval_lr.roc_auc'", equalTo(run.gates().get(0).values().get("eval_lr.roc_auc").floatValue()))
                .body("gates[0].detail", equalTo(run.gates().get(0).detail()))
                .body("findings", hasSize(run.findings().size()));
        given().get("/api/runs/" + id + "/models").then().statusCode(200).body("stageId", contains("lr", "forest", "mlp"));
        given().get("/api/runs/no-such-run").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void runPageDrawsLearningCurvesShapBarsAndTheSideBySideSummaryFromTheRegistry() {
        RunDetail run = registry.getRun(example().id()).orElseThrow();
        browser.get(root.toString() + "runs/" + run.summary().id());

        // Learning curves of the train.onnx stage: one point per recorded epoch, the kept epoch as recorded.
        WebElement curve = browser.findElement(By.cssSelector("svg#curve-mlp"));
        assertThat(curve.getSize().getWidth()).as("the chart is drawn").isGreaterThan(300);
        for (String series : LearningCurve.SERIES) {
            long recorded = run.metrics().stream().filter(m -> m.stageId().equals("mlp") && m.name().equals(series)
                    && m.slice() != null && m.slice().startsWith("epoch=")).count();
            assertThat(recorded).as("%s epochs recorded", series).isGreaterThan(5);
            String points = curve.findElement(By.cssSelector("polyline[data-series='" + series + "']")).getAttribute("points");
            assertThat(points.trim().split(" ")).as("%s points drawn", series).hasSize((int) recorded);
        }
        long best = Math.round(whole(run, "mlp", "best_epoch"));
        assertThat(browser.findElement(By.cssSelector("[data-best-epoch='mlp']")).getText()).isEqualTo(Long.toString(best));
        assertThat(curve.findElement(By.cssSelector("g.mark .mark-label")).getText()).isEqualTo("best epoch " + best);

        // SHAP: the top 15 features of the positive class, largest first, each labelled with its registry value.
        List<MetricView> importance = run.metrics().stream().filter(m -> m.stageId().equals("why_lr")
                && m.name().equals("mean_abs_shap") && m.slice().endsWith(",class=malignant"))
                .sorted((a, b) -> Double.compare(b.value(), a.value())).toList();
        assertThat(importance).hasSizeGreaterThan(15);
        List<WebElement> bars = browser.findElements(By.cssSelector("svg#shap-why_lr g.bar"));
        assertThat(bars).hasSize(ShapView.TOP);
        MetricView top = importance.get(0);
        assertThat(bars.get(0).getAttribute("data-label")).isEqualTo(top.slice().substring("feature=".length(), top.slice().indexOf(',')));
        assertThat(bars.get(0).findElement(By.cssSelector(".bar-value")).getText()).isEqualTo(RunPage.format(top.value()));
        assertThat(bars.get(14).findElement(By.cssSelector(".bar-value")).getText()).isEqualTo(RunPage.format(importance.get(14).value()));
        assertThat(browser.findElements(By.cssSelector("table[data-local='why_lr'] tbody tr"))).isNotEmpty();

        // Side by side: one row per trained model; each row's ROC AUC is its own evaluation's.
        assertThat(browser.findElements(By.cssSelector("#models tbody tr"))).hasSize(3);
        for (String[] pair : new String[][] {{"lr", "eval_lr"}, {"forest", "eval_forest"}, {"mlp", "eval_mlp"}}) {
            WebElement row = browser.findElement(By.cssSelector("#models tr[data-model='" + pair[0] + "']"));
            assertThat(row.findElement(By.cssSelector("td[data-summary='roc_auc']")).getText())
                    .startsWith(RunPage.format(whole(run, pair[1], "roc_auc")) + " [");
        }
        assertThat(browser.findElement(By.cssSelector("#models tr[data-model='forest'] td[data-summary='explanations']")).getText())
                .isEqualTo("why_forest, importance_forest");
        assertThat(browser.findElement(By.cssSelector("#models tr[data-model='lr'] td[data-summary='explanations']")).getText())
                .isEqualTo("why_lr, lime_lr");
        assertThat(browser.findElement(By.cssSelector("#models tr[data-model='mlp'] td[data-summary='explanations']")).getText())
                .isEqualTo("why_mlp");
    }

    @Test
    void auditReportIsOneSelfContainedPrintablePage() {
        String id = example().id();
        browser.get(root.toString() + "runs/" + id);
        browser.findElement(By.id("report-link")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/runs/" + id + "/report");
        assertThat(browser.findElement(By.id("run-id")).getText()).isEqualTo(id);
        assertThat(browser.findElements(By.cssSelector("svg#curve-mlp, svg#shap-why_lr, svg#shap-why_forest"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#models tbody tr"))).hasSize(3);
        Object fetched = ((JavascriptExecutor) browser).executeScript("return performance.getEntriesByType('resource').length");
        assertThat(((Number) fetched).intValue()).as("resources the report loaded").isZero();

        // The PDF export: Chromium prints the same page; a PDF file whose text holds the run id.
        byte[] pdf = given().get("/runs/" + id + "/report.pdf").then().statusCode(200).contentType("application/pdf")
                .header("Content-Disposition", containsString("audit-report.pdf")).extract().asByteArray();
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(pdf.length).as("a multi-page report, not an error page").isGreaterThan(20_000);
        int printed = pdfPrinter.browsersStarted();
        byte[] again = given().get("/runs/" + id + "/report.pdf").then().statusCode(200).extract().asByteArray();
        assertThat(again).as("the same report: the cached PDF").isEqualTo(pdf);
        assertThat(pdfPrinter.browsersStarted()).as("the second request started no browser").isEqualTo(printed);
        given().get("/runs/no-such-run/report.pdf").then().statusCode(404);

        String html = given().get("/runs/" + id + "/report").then().statusCode(200).extract().asString();
        assertThat(html).doesNotContainPattern("(?i)https?://").doesNotContainPattern("(?i)<script|<link|<img|<iframe|@import|url\\(");
    }

    @Test
    void gatesReadPassWithTheRegistryValueOnTheRunPageTheRunsListAndTheReport() throws Exception {
        RunDetail run = registry.getRun(example().id()).orElseThrow();
        assertThat(run.gates()).as("the example's two gates").hasSize(2);
        assertThat(run.gates().get(1).expression()).isEqualTo("privacy.membership_advantage <= 0.25");
        GateResultView gate = run.gates().get(0);
        assertThat(gate.expression()).isEqualTo("eval_lr.roc_auc >= 0.95");
        assertThat(gate.passed()).isTrue();
        double value = gate.values().get("eval_lr.roc_auc");
        assertThat(value).as("the gate decided on eval_lr's test ROC AUC").isEqualTo(whole(run, "eval_lr", "roc_auc"));

        for (String path : new String[] {"runs/" + run.summary().id(), "runs/" + run.summary().id() + "/report"}) {
            browser.get(root.toString() + path);
            WebElement row = browser.findElement(By.cssSelector("#gate-results tr[data-gate='0']"));
            assertThat(row.findElement(By.cssSelector("td[data-verdict]")).getText()).as(path).endsWith("PASS");
            assertThat(row.findElement(By.cssSelector("td[data-values]")).getText()).as(path)
                    .isEqualTo("eval_lr.roc_auc = " + RunPage.format(value));
            assertThat(row.findElement(By.cssSelector("td[data-detail]")).getText()).as(path).isEqualTo(gate.detail());
            assertThat(browser.findElements(By.id("gate-banner"))).as("no banner when the gates passed").isEmpty();
            assertThat(browser.findElements(By.cssSelector("#finding-list tbody tr"))).as(path).hasSize(run.findings().size());
        }
        browser.get(root.toString() + "runs/" + run.summary().id());
        assertThat(browser.findElements(By.cssSelector("#versions tbody tr"))).hasSize(3);

        browser.get(root.toString());
        WebElement listed = browser.findElement(By.cssSelector("tr[data-run='" + run.summary().id() + "'] td[data-gates]"));
        assertThat(listed.getText()).isEqualTo("PASS: all 2 passed");
        Path shot = Path.of("target", "screenshots");
        Files.createDirectories(shot);
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1800));
        browser.get(root.toString() + "runs/" + gatedRun().runId());
        Files.write(shot.resolve("failed-gates-run.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aFailedGatesRunIsMarkedEverywhereAndTheRegistryRefusesItsApprovalWith409() {
        Gated gated = gatedRun();
        browser.get(root.toString());
        WebElement row = browser.findElement(By.cssSelector("tr[data-run='" + gated.runId() + "']"));
        assertThat(row.findElement(By.cssSelector("td[data-status]")).getText()).isEqualTo("failed gates");
        assertThat(row.findElement(By.cssSelector("td[data-gates]")).getText())
                .isEqualTo("FAIL: 1 of 2 failed (eval.fairness.sex.disparate_impact >= 0.8)");

        browser.get(root.toString() + "runs/" + gated.runId());
        assertThat(browser.findElement(By.id("run-status")).getText()).isEqualTo("failed gates");
        WebElement banner = browser.findElement(By.id("gate-banner"));
        assertThat(banner.getText()).contains("Failed gates: 1 of 2").contains("eval.fairness.sex.disparate_impact >= 0.8")
                .contains("= 0.7200 < 0.8").doesNotContain("eval.roc_auc");
        assertThat(browser.findElement(By.cssSelector("#gate-results tr[data-gate='1'] td[data-verdict]")).getText()).endsWith("FAIL");
        List<WebElement> findings = browser.findElements(By.cssSelector("#finding-list tbody tr"));
        assertThat(findings).extracting(f -> f.getAttribute("data-finding"))
                .containsExactly("privacy.direct_identifier", "fairness.group_too_small", "privacy.spent");
        assertThat(findings.get(0).getText()).startsWith("warning data privacy.direct_identifier email");

        browser.findElement(By.cssSelector("#model-" + gated.modelVersionId() + " input[name='actor']")).sendKeys("Dr. Ada Reviewer");
        browser.findElement(By.cssSelector("#model-" + gated.modelVersionId() + " button[type='submit']")).click();
        assertThat(browser.findElement(By.id("problem-title")).getText()).isEqualTo("Approval refused");
        assertThat(browser.findElement(By.id("problem-detail")).getText()).contains("FAILED_GATES")
                .contains("eval.fairness.sex.disparate_impact >= 0.8");
        given().formParam("actor", "Dr. Ada Reviewer").post("/models/" + gated.modelVersionId() + "/approve")
                .then().statusCode(409).contentType(containsString("text/html")).body(containsString("FAILED_GATES"));
        assertThat(registry.modelStatus(gated.modelVersionId())).isEqualTo(ModelStatus.CANDIDATE);

        given().formParam("actor", " ").post("/models/" + gated.modelVersionId() + "/approve").then().statusCode(400)
                .body(containsString("your name"));
        given().formParam("actor", "x").post("/models/no-such-version/approve").then().statusCode(404);
    }

    @Test
    void approvingAModelOfThePassingExampleRunRecordsItAndShowsItOnTheRunPage() {
        String id = example().id();
        ModelVersionView forest = registry.modelVersions(id).stream().filter(v -> v.stageId().equals("forest")).findFirst().orElseThrow();
        browser.get(root.toString() + "runs/" + id);
        browser.findElement(By.cssSelector("#model-" + forest.id() + " input[name='actor']")).sendKeys("Dr. Ada Reviewer");
        browser.findElement(By.cssSelector("#model-" + forest.id() + " button[type='submit']")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/runs/" + id + "#model-" + forest.id());
        assertThat(browser.findElement(By.cssSelector("#model-" + forest.id() + " td[data-model-status]")).getText()).isEqualTo("approved");
        assertThat(registry.modelStatus(forest.id())).isEqualTo(ModelStatus.APPROVED);
        assertThat(browser.findElement(By.cssSelector("#models tr[data-model='forest'] td[data-summary='version']")).getText())
                .isEqualTo("v" + forest.version() + " approved");
        assertThat(browser.findElements(By.cssSelector("#model-" + forest.id() + " form.approve:not(.reject)")))
                .as("approved: no approve form").isEmpty();
        assertThat(browser.findElement(By.cssSelector("#model-" + forest.id() + " form.reject button")).getText())
                .isEqualTo("Revoke and reject");
    }

    @Test
    void rejectingAModelNeedsAReasonAndRecordsItInTheAuditLog() {
        String id = example().id();
        ModelVersionView mlp = registry.modelVersions(id).stream().filter(v -> v.stageId().equals("mlp")).findFirst().orElseThrow();
        given().formParam("actor", "Dr. Ada Reviewer").formParam("reason", " ").post("/models/" + mlp.id() + "/reject")
                .then().statusCode(400).body(containsString("reason"));
        assertThat(registry.modelStatus(mlp.id())).isEqualTo(ModelStatus.CANDIDATE);

        browser.get(root.toString() + "runs/" + id);
        browser.findElement(By.cssSelector("#model-" + mlp.id() + " form.reject input[name='actor']")).sendKeys("Dr. Ada Reviewer");
        browser.findElement(By.cssSelector("#model-" + mlp.id() + " form.reject input[name='reason']"))
                .sendKeys("membership advantage too close to the gate");
        browser.findElement(By.cssSelector("#model-" + mlp.id() + " form.reject button")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/runs/" + id + "#model-" + mlp.id());
        assertThat(browser.findElement(By.cssSelector("#model-" + mlp.id() + " td[data-model-status]")).getText()).isEqualTo("rejected");
        assertThat(browser.findElements(By.cssSelector("#model-" + mlp.id() + " form"))).as("rejected: no form").isEmpty();
        assertThat(registry.modelStatus(mlp.id())).isEqualTo(ModelStatus.REJECTED);
    }

    @Test
    void comparingTheExampleWithASecondRealRunShowsAColumnPerRunAndTheRegistryDeltas() throws Exception {
        RunSummary example = example();
        RunSummary small = registry.listRuns(100).stream().filter(r -> r.pipelineName().equals("breast-cancer-small"))
                .findFirst().orElseThrow(() -> new AssertionError("the second (small) run is not in the registry"));
        browser.get(root.toString());
        browser.findElement(By.id("pick-" + small.id())).click();
        browser.findElement(By.id("pick-" + example.id())).click();
        browser.findElement(By.id("compare-button")).click();
        assertThat(browser.getCurrentUrl()).contains("/compare?run=");

        List<WebElement> columns = browser.findElements(By.cssSelector("#compare thead th[data-run]"));
        assertThat(columns).extracting(c -> c.getAttribute("data-run")).as("the older example is the baseline")
                .containsExactly(example.id(), small.id());
        assertThat(columns.get(0).getText()).contains("breast-cancer").contains("(baseline)");

        RunDetail a = registry.getRun(example.id()).orElseThrow();
        RunDetail b = registry.getRun(small.id()).orElseThrow();
        double before = whole(a, "eval_lr", "roc_auc");
        double after = whole(b, "eval_lr", "roc_auc");
        double delta = after - before;
        String verdict = Math.abs(delta) < 0.00005 ? "no change" : delta > 0 ? "better" : "worse";
        boolean overlap = whole(a, "eval_lr", "roc_auc_ci_low") <= whole(b, "eval_lr", "roc_auc_ci_high")
                && whole(b, "eval_lr", "roc_auc_ci_low") <= whole(a, "eval_lr", "roc_auc_ci_high");
        String sign = delta < 0 && !RunPage.format(-delta).equals("0.0000") ? "-" : "+";
        WebElement row = browser.findElement(By.cssSelector("tr[data-row='eval_lr/roc_auc']"));
        assertThat(row.findElement(By.cssSelector("td[data-cell='0'] [data-value]")).getText()).isEqualTo(RunPage.format(before));
        assertThat(row.findElement(By.cssSelector("td[data-cell='1'] [data-value]")).getText()).isEqualTo(RunPage.format(after));
        assertThat(row.findElement(By.cssSelector("td[data-cell='1'] [data-change]")).getText())
                .isEqualTo(sign + RunPage.format(Math.abs(delta)) + ", " + verdict + ", " + (overlap ? "within noise" : "changed"));
        assertThat(browser.findElement(By.cssSelector("tr[data-row='eval_forest/roc_auc'] td[data-cell='1']")).getText())
                .as("the small pipeline has no forest").isEqualTo("not recorded");
        assertThat(browser.findElement(By.cssSelector("tr[data-row='gate/0'] td[data-cell='0']")).getText()).isEqualTo("PASS");

        Path shot = Path.of("target", "screenshots");
        Files.createDirectories(shot);
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1800));
        Files.write(shot.resolve("compare.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        given().queryParam("run", small.id(), example.id()).get("/api/compare").then().statusCode(200)
                .body("runs.id", contains(example.id(), small.id()))
                .body("sections.find { it.id == 'eval-eval_lr' }.rows.find { it.key == 'eval_lr/roc_auc' }.cells[1].delta",
                        equalTo((float) delta));
        given().queryParam("run", example.id()).get("/api/compare").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("2 to 4 runs, got 1"));
        given().queryParam("run", example.id(), "0000dead").get("/api/compare").then().statusCode(404);
        given().queryParam("run", example.id(), "0000dead").get("/compare").then().statusCode(404)
                .contentType(containsString("text/html")).body(containsString("no run &#39;0000dead&#39; in the registry"));
        given().get("/compare").then().statusCode(400).body(containsString("tick 2 to 4 runs"));

        browser.get(root.toString() + "runs/" + small.id());
        assertThat(browser.findElement(By.id("compare-links")).getText()).contains("first run of this pipeline");
    }

    private record Gated(String runId, String modelVersionId) { }

    private static Gated gated;

    /**
     * A run inserted beside the example through the dashboard's own registry: every stage succeeded but one of its two
     * gates failed; its stages reported findings and its model was registered.
     */
    private synchronized Gated gatedRun() {
        if (gated != null) return gated;
        String yaml = "fixture: failed gates\n";
        String run = registry.createRun(new NewRun("gated-fixture", "gated.yaml", yaml, sha(yaml), 1, "direct", "cpu", "test", "bob"));
        String data = stage(run, "data", "ingest.csv", 0, "DATASET", List.of(), List.of(), List.of(new FindingRecord("WARNING",
                "privacy.direct_identifier", "email", "column 'email' looks like a direct identifier")));
        String model = stage(run, "train", "train.tribuo", 1, "MODEL", List.of(data), List.of(), List.of(
                new FindingRecord("INFO", "privacy.spent", null, "spent ε 2.0")));
        stage(run, "eval", "evaluate", 2, "EVALUATION", List.of(model, data), List.of(new MetricRecord("roc_auc", 0.91, "test", null),
                new MetricRecord("fairness.sex.disparate_impact", 0.72, "test", null)), List.of(new FindingRecord("WARNING",
                "fairness.group_too_small", "sex=other", "group sex=other has 3 rows: too few to judge")));
        String trainRun = registry.getRun(run).orElseThrow().stages().get(1).id();
        String version = registry.registerModelVersion("gated-fixture/train", run, trainRun, model);
        Map<String, Double> auc = new LinkedHashMap<>();
        auc.put("eval.roc_auc", 0.91);
        Map<String, Double> di = new LinkedHashMap<>();
        di.put("eval.fairness.sex.disparate_impact", 0.72);
        registry.finishRunWithGates(run, List.of(new GateRecord(0, "eval.roc_auc >= 0.9", true, auc, "eval.roc_auc = 0.9100 >= 0.9"),
                new GateRecord(1, "eval.fairness.sex.disparate_impact >= 0.8", false, di,
                        "eval.fairness.sex.disparate_impact = 0.7200 < 0.8")));
        gated = new Gated(run, version);
        return gated;
    }

    private String stage(String run, String id, String type, int position, String kind, List<String> inputs,
                         List<MetricRecord> metrics, List<FindingRecord> findings) {
        String stageRun = registry.startStage(run, new StageStart(id, type, position, sha(run + id), "{}", "{}"));
        String artifact = registry.putArtifact(new ArtifactRecord(null, kind, "file:///fixture/" + sha(run + id), sha(run + id), 1, Map.of()));
        registry.finishStageRan(stageRun, artifact, inputs, id + " done", null, metrics, findings);
        return artifact;
    }

    private static String sha(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The breast-cancer example run (other tests add runs beside it). */
    private RunSummary example() {
        return registry.listRuns(100).stream().filter(r -> r.pipelineName().equals("breast-cancer")).findFirst()
                .orElseThrow(() -> new AssertionError("the breast-cancer example run is not in the registry"));
    }

    private static double whole(RunDetail run, String stageId, String name) {
        return run.metrics().stream().filter(m -> m.stageId().equals(stageId) && m.name().equals(name) && m.slice() == null)
                .sorted((a, b) -> Boolean.compare("test".equals(b.split()), "test".equals(a.split())))
                .findFirst().orElseThrow(() -> new AssertionError(stageId + " recorded no " + name)).value();
    }
}

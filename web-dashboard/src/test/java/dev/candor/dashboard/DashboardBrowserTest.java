package dev.candor.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.candor.registry.EvaluationView;
import dev.candor.registry.MetricView;
import dev.candor.registry.Registry;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunSummary;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
        List<RunSummary> runs = registry.listRuns(10);
        assertThat(runs).hasSize(1);
        RunSummary run = runs.get(0);
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
        RunDetail run = registry.getRun(registry.listRuns(1).get(0).id()).orElseThrow();
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
        String id = registry.listRuns(1).get(0).id();
        given().get("/api/runs").then().statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(id));
        given().get("/api/runs/" + id).then().statusCode(200).body("summary.id", equalTo(id));
        given().get("/api/runs/no-such-run").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void runPageDrawsLearningCurvesShapBarsAndTheSideBySideSummaryFromTheRegistry() {
        RunDetail run = registry.getRun(registry.listRuns(1).get(0).id()).orElseThrow();
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
                .isEqualTo("why_forest");
        assertThat(browser.findElement(By.cssSelector("#models tr[data-model='mlp'] td[data-summary='explanations']")).getText())
                .isEqualTo("none");
    }

    @Test
    void auditReportIsOneSelfContainedPrintablePage() {
        String id = registry.listRuns(1).get(0).id();
        browser.get(root.toString() + "runs/" + id);
        browser.findElement(By.id("report-link")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/runs/" + id + "/report");
        assertThat(browser.findElement(By.id("run-id")).getText()).isEqualTo(id);
        assertThat(browser.findElements(By.cssSelector("svg#curve-mlp, svg#shap-why_lr, svg#shap-why_forest"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#models tbody tr"))).hasSize(3);
        Object fetched = ((JavascriptExecutor) browser).executeScript("return performance.getEntriesByType('resource').length");
        assertThat(((Number) fetched).intValue()).as("resources the report loaded").isZero();

        String html = given().get("/runs/" + id + "/report").then().statusCode(200).extract().asString();
        assertThat(html).doesNotContainPattern("(?i)https?://").doesNotContainPattern("(?i)<script|<link|<img|<iframe|@import|url\\(");
    }

    private static double whole(RunDetail run, String stageId, String name) {
        return run.metrics().stream().filter(m -> m.stageId().equals(stageId) && m.name().equals(name) && m.slice() == null)
                .sorted((a, b) -> Boolean.compare("test".equals(b.split()), "test".equals(a.split())))
                .findFirst().orElseThrow(() -> new AssertionError(stageId + " recorded no " + name)).value();
    }
}

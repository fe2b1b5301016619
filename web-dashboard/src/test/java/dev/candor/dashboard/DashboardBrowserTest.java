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
}

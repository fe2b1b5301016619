package dev.candor.stages.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.stages.fairness.ExampleArtifacts;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.FindingSink;
import dev.candor.stages.spi.LocalStageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The privacy checks of ingest.csv: direct identifiers found by the scan, and k-anonymity of quasi-identifiers. */
class CsvIngestPrivacyTest {
    @TempDir Path dir;

    /**
     * 60 rows: an e-mail per person, a zip code among 3 (20 rows each) and an age band among 2 (rows alternate), so
     * zip × band has 6 classes of 10 rows, except that the last row gets its own zip: k = 1.
     */
    private Path csv(boolean loneZip) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("email,zip,band,score,outcome");
        for (int i = 0; i < 60; i++) {
            String zip = loneZip && i == 59 ? "99999" : Integer.toString(10000 + i % 3);
            lines.add("person" + i + "@example.org," + zip + "," + (i % 2 == 0 ? "young" : "old") + "," + (i * 7 % 13)
                    + "," + (i % 4 == 0 ? "yes" : "no"));
        }
        Path file = dir.resolve(loneZip ? "people-lone.csv" : "people.csv");
        Files.write(file, lines);
        return file;
    }

    private CsvIngestConfig config(Path file, String id, List<String> quasi, Integer minK) {
        return new CsvIngestConfig(file.toString(), "outcome", null, id, null, null, null, null, null, null, quasi, minK, null);
    }

    @Test
    void anEmailColumnIsADirectIdentifierUnlessDeclaredAsTheId() throws Exception {
        Path file = csv(false);
        LocalStageContext ctx = new LocalStageContext("data", 1, List.of(), dir.resolve("a"), "cpu");
        new CsvIngestStage().run(config(file, null, List.of("zip", "band"), null), ctx);
        assertThat(ctx.reportedFindings()).filteredOn(f -> f.severity() == FindingSink.Severity.WARNING)
                .singleElement().satisfies(f -> {
                    assertThat(f.code()).isEqualTo("privacy.direct_identifier");
                    assertThat(f.subject()).isEqualTo("email");
                    assertThat(f.message()).contains("email").contains("ignore:");
                });
        // 3 zips × 2 bands, 10 rows each: 10-anonymous, above min_k 5.
        assertThat(ctx.recordedMetrics()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("privacy.k_anonymity");
            assertThat(m.value()).isEqualTo(10);
            assertThat(m.split()).isNull();
        });
        assertThat(new CsvIngestStage().results(config(file, null, List.of("zip"), null)))
                .containsExactly("privacy.k_anonymity");

        LocalStageContext declared = new LocalStageContext("data", 1, List.of(), dir.resolve("b"), "cpu");
        new CsvIngestStage().run(config(file, "email", List.of(), null), declared);
        assertThat(declared.reportedFindings()).noneMatch(f -> f.severity() == FindingSink.Severity.WARNING);
        assertThat(declared.recordedMetrics()).isEmpty();
    }

    @Test
    void aRowAloneInItsQuasiIdentifierClassIsReportedBelowMinK() throws Exception {
        Path file = csv(true);
        LocalStageContext ctx = new LocalStageContext("data", 1, List.of(), dir.resolve("c"), "cpu");
        new CsvIngestStage().run(config(file, "email", List.of("zip", "band"), 3), ctx);
        assertThat(ctx.recordedMetrics()).singleElement().satisfies(m -> assertThat(m.value()).isEqualTo(1));
        assertThat(ctx.reportedFindings()).filteredOn(f -> f.code().equals("privacy.k_anonymity")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("only 1-anonymous").contains("1 of them alone")
                        .contains("min_k 3"));
    }

    @Test
    void anUnknownQuasiIdentifierFailsBeforeReading() throws Exception {
        Path file = csv(false);
        assertThatThrownBy(() -> new CsvIngestStage().run(config(file, null, List.of("postcode"), null),
                new LocalStageContext("data", 1, List.of(), dir.resolve("d"), "cpu")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'postcode' is not a column");
        assertThatThrownBy(() -> config(file, null, List.of(), 0)).isInstanceOf(ConfigException.class)
                .hasFieldOrPropertyWithValue("key", "min_k");
    }

    @Test
    void theCreditExampleHasNoDirectIdentifierAndAgeWithSexIsNotFiveAnonymous() throws Exception {
        LocalStageContext ctx = new LocalStageContext("data", 7, List.of(), dir.resolve("credit"), "cpu");
        new CsvIngestStage().run(ExampleArtifacts.creditConfig(List.of("age", "sex")), ctx);
        assertThat(ctx.reportedFindings()).noneMatch(f -> f.code().equals("privacy.direct_identifier"));
        double k = ctx.recordedMetrics().stream().filter(m -> m.name().equals("privacy.k_anonymity")).findFirst()
                .orElseThrow().value();
        // Ages run to 75 with a handful of applicants per year at the top: some (age, sex) pair is rare.
        assertThat(k).isBetween(1.0, 4.0);
        assertThat(ctx.reportedFindings()).anyMatch(f -> f.code().equals("privacy.k_anonymity"));
    }
}

package dev.candor.stages.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What ingestion reads as a number, and how fast it says no. */
class ColumnTypesTest {

    @Test
    void readsDecimalNumbersAndNothingElse() {
        for (String number : List.of("1", "-1", "+1.5", "1.", "1.e5", ".5", ".5e-3", "1e400", "1E+7", "00012", " 7 ", "+.5")) {
            assertThat(ColumnTypes.parseNumber(number)).as(number).isNotNull();
        }
        for (String text : List.of("", ".", "e5", "1e", "1.5.5", "- 1", "0x1F", "1_000", "١", "-.e1", "12e3.4", "NaN",
                "Infinity", "1\uFEFF")) {
            assertThat(ColumnTypes.parseNumber(text)).as(text).isNull();
        }
        assertThat(ColumnTypes.parseNumber("1e400")).isInfinite();
    }

    /**
     * Found by the fuzzer (issue 9): 1.5 million digits with a byte-order mark among them (a file pasted together
     * from two exports) kept ingestion busy for hours, the number pattern trying n² ways to match before saying no.
     */
    @Test
    void aMillionDigitFieldThatIsNoNumberIsRejectedInLinearTime() {
        String digits = "7".repeat(880_853) + "\uFEFF" + "7".repeat(619_147);
        long t0 = System.nanoTime();
        assertThat(ColumnTypes.parseNumber(digits)).isNull();
        assertThat(ColumnTypes.parseNumber("7".repeat(700_000) + "." + "7".repeat(700_000) + "x")).isNull();
        assertThat(ColumnTypes.parseNumber("." + "7".repeat(1_500_000) + "e")).isNull();
        assertThat(ColumnTypes.parseNumber("7".repeat(1_500_000))).isInfinite();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the old pattern took hours").isLessThan(Duration.ofSeconds(5));
    }
}

package dev.candor.stages.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Values from the data are shown cut and escaped, and a DataException stays short whatever it carries. */
class ExcerptTest {

    @Test
    void aShortValueIsShownAsItIsAndNullStaysNull() {
        assertThat(Excerpt.of("café 12.5")).isEqualTo("café 12.5");
        assertThat(Excerpt.of(null)).isNull();
        assertThat(Excerpt.of("x".repeat(Excerpt.MAX_CHARS))).isEqualTo("x".repeat(Excerpt.MAX_CHARS));
    }

    @Test
    void aLongValueIsCutWithHowMuchWasLeftOut() {
        String tenMegabytes = "1".repeat(10_000_000);
        String shown = Excerpt.of(tenMegabytes);
        assertThat(shown).isEqualTo("1".repeat(100) + "…(9999900 more characters)");
        assertThat(Excerpt.of("x".repeat(101))).endsWith("…(1 more character)");
        assertThat(Excerpt.of(shown)).as("cutting twice changes nothing").isEqualTo(shown);
        String escapedAtTheEnd = Excerpt.of("x".repeat(99) + "\u0000" + "y".repeat(50));
        assertThat(escapedAtTheEnd).isEqualTo("x".repeat(99) + "\\u0000…(50 more characters)");
        assertThat(Excerpt.of(escapedAtTheEnd)).isEqualTo(escapedAtTheEnd);
    }

    @Test
    void controlCharactersAreWrittenVisiblySoAValueCannotBreakALineOrATerminal() {
        assertThat(Excerpt.of("a\nb\r\tc\u0000d\u001b[31m\u2028")).isEqualTo("a\\nb\\r\\tc\\u0000d\\u001b[31m\\u2028");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String shown = Excerpt.of("a" + emoji.repeat(200));
        assertThat(shown).startsWith("a" + emoji);
        String kept = shown.substring(0, shown.indexOf('…'));
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
        assertThat(shown).endsWith("more characters)");
    }

    @Test
    void aListShowsTwentyItemsEachCut() {
        List<String> names = IntStream.range(0, 1000).mapToObj(i -> "c" + i).toList();
        assertThat(Excerpt.list(names)).startsWith("c0, c1, ").endsWith("c19, … (980 more)");
        assertThat(Excerpt.list(List.of("y".repeat(500)))).hasSizeLessThan(130);
        assertThat(Excerpt.list(List.of())).isEmpty();
    }

    @Test
    void aDataExceptionListsTwentyProblemsAndCutsEveryValueHoweverItWasBuilt() {
        List<DataException.Problem> problems = new ArrayList<>();
        String cell = "9".repeat(10_000_000);
        for (int r = 2; r < 1002; r++) problems.add(new DataException.Problem("f.csv", r, "x".repeat(5000), cell, "a number"));
        DataException e = new DataException(problems, 5000);

        assertThat(e.problems()).hasSize(DataException.MAX_LISTED);
        assertThat(e.totalProblems()).isEqualTo(5000);
        assertThat(e.getMessage()).endsWith("… and 4980 more problems").hasSizeLessThan(20 * 400);
        assertThat(e.problems().get(0).value()).endsWith("…(9999900 more characters)");
        assertThat(e.problems().get(0).column()).endsWith("…(4900 more characters)");
        assertThat(new DataException("f.csv", 0, null, null, "e".repeat(1_000_000)).getMessage()).hasSizeLessThan(2100);
    }
}

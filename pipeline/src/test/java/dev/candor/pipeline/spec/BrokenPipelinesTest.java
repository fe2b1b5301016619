package dev.candor.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The corpus of broken pipelines: each file opens with one {@code # expect: line:col: text} comment per mistake in
 * it, and loading it must report exactly those errors — at that line and column, with that text — and nothing else.
 */
class BrokenPipelinesTest {
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+):(\\d+): (.+)");

    record Expectation(int line, int column, String text) {
        @Override
        public String toString() {
            return line + ":" + column + ": " + text;
        }
    }

    static Stream<String> corpus() throws IOException {
        try (Stream<Path> files = Files.list(TestStages.resource("broken"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList()
                    .stream();
        }
    }

    @Test
    void theCorpusCoversManyDistinctMistakes() throws IOException {
        List<String> names = corpus().toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(30);
        long severalAtOnce = names.stream().filter(n -> expectations(n).size() > 1).count();
        assertThat(severalAtOnce).as("files with several mistakes").isGreaterThanOrEqualTo(2);
        List<String> expectedTexts = names.stream().flatMap(n -> expectations(n).stream()).map(Expectation::text)
                .toList();
        assertThat(expectedTexts).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void reportsExactlyTheExpectedErrors(String name) {
        Path file = TestStages.resource("broken/" + name);
        List<Expectation> expected = expectations(name);
        assertThat(expected).as("%s needs '# expect: line:col: text' lines at the top", name).isNotEmpty();

        SpecException thrown = catchThrowableOfType(SpecException.class, () -> TestStages.loader().load(file));

        assertThat(thrown).as("%s loaded without errors", name).isNotNull();
        List<SpecError> errors = thrown.errors();
        String actual = errors.stream().map(SpecError::toString).collect(Collectors.joining("\n"));
        assertThat(errors).as("errors of %s:\n%s", name, actual).hasSize(expected.size());
        for (Expectation expectation : expected) {
            assertThat(errors).as("errors of %s:\n%s\nshould include %s", name, actual, expectation)
                    .anySatisfy(error -> {
                        assertThat(error.line()).isEqualTo(expectation.line());
                        assertThat(error.column()).isEqualTo(expectation.column());
                        assertThat(error.toString()).contains(expectation.text());
                    });
        }
        for (SpecError error : errors) {
            assertThat(error.toString())
                    .startsWith(file + ":" + error.line() + ":" + error.column() + ": ")
                    .doesNotContain("\n");
            assertThat(error.fix()).as("every error says how to fix it: %s", error).isNotBlank();
        }
        assertThat(errors).isSortedAccordingTo(SpecError.BY_PLACE);
    }

    private static List<Expectation> expectations(String name) {
        try {
            return Files.readAllLines(TestStages.resource("broken/" + name)).stream()
                    .takeWhile(line -> line.startsWith("#"))
                    .map(EXPECT::matcher)
                    .filter(Matcher::matches)
                    .map(m -> new Expectation(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3)))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.candor.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broken-pipeline corpus through the real command line and the real stage catalog: exit code 2, one line per
 * error in the form file:line:col: what — fix, the expected error among them, and never a stack trace.
 */
class ValidateCommandTest {
    static final Path CORPUS = Path.of("src/test/resources/broken");

    static Stream<Path> brokenPipelines() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenPipelines")
    void everyMistakeIsOneLineWithItsPlaceAndExitCodeTwo(Path file) throws IOException {
        String expect = Files.readAllLines(file).get(0);
        assertThat(expect).as("first line of %s", file).startsWith("# expect: ");
        String expectedPlace = expect.substring("# expect: ".length()).split(": ", 2)[0];

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CandorCli.execute(new PrintWriter(out), new PrintWriter(err), "validate", file.toString());

        String text = err.toString();
        assertThat(code).as(text).isEqualTo(CandorCli.SPEC_ERROR);
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        List<String> lines = text.lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches("\\d+ errors?");
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertThat(line).startsWith(file.toAbsolutePath() + ":").matches(".+:\\d+:\\d+: .+ — .+");
        }
        assertThat(text).contains(file.toAbsolutePath() + ":" + expectedPlace + ": ");
    }
}

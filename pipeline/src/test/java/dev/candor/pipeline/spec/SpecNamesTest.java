package dev.candor.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.stages.data.MissingPolicy;
import dev.candor.stages.spi.Suggestions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key spelling, enum spelling, the "did you mean" and the one-line error format. */
class SpecNamesTest {
    @Test
    void writesComponentNamesInSnakeCase() {
        assertThat(Suggestions.snakeCase("learningRate")).isEqualTo("learning_rate");
        assertThat(Suggestions.snakeCase("protectedAsFeatures")).isEqualTo("protected_as_features");
        assertThat(Suggestions.snakeCase("path")).isEqualTo("path");
    }

    @Test
    void writesEnumConstantsLowerCaseWithHyphens() {
        assertThat(Names.enumValue(MissingPolicy.IMPUTE_MEAN)).isEqualTo("impute-mean");
        assertThat(Names.enumValues(MissingPolicy.class)).containsExactly("error", "drop", "impute-mean", "impute-mode");
    }

    @Test
    void measuresEditDistance() {
        assertThat(Suggestions.levenshtein("lable", "label")).isEqualTo(2);
        assertThat(Suggestions.levenshtein("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.levenshtein("", "abc")).isEqualTo(3);
        assertThat(Suggestions.levenshtein("same", "same")).isZero();
    }

    @Test
    void suggestsOnlyWhatIsCloseEnoughToBeATypo() {
        List<String> keys = List.of("path", "label", "id", "protected", "protected_as_features", "delimiter");
        assertThat(Suggestions.closest("lable", keys)).contains("label");
        assertThat(Suggestions.closest("protectedAsFeatures", keys)).contains("protected_as_features");
        assertThat(Suggestions.closest("LABEL", keys)).contains("label");
        assertThat(Suggestions.closest("separator", keys)).isEmpty();
        assertThat(Names.suggestKey("separator", keys)).isEqualTo(
                "remove it, or use one of: path, label, id, protected, protected_as_features, delimiter");
        assertThat(Suggestions.suggestValue("impute_mean", List.of("error", "impute-mean")))
                .isEqualTo("did you mean 'impute-mean'? (one of: error, impute-mean)");
    }

    @Test
    void formatsAnErrorOnOneLine() {
        SpecError error = new SpecError(Path.of("p.yaml"), 12, 7, "unknown key 'lable'", "did you mean 'label'?");
        assertThat(error).hasToString("p.yaml:12:7: unknown key 'lable' — did you mean 'label'?");
        assertThat(new SpecError(Path.of("p.yaml"), new Position(1, 1), "the file is empty", ""))
                .hasToString("p.yaml:1:1: the file is empty");
    }

    @Test
    void sortsErrorsByPlace() {
        Path p = Path.of("p.yaml");
        SpecException e = new SpecException(List.of(new SpecError(p, 9, 1, "c", "x"), new SpecError(p, 2, 5, "b", "x"),
                new SpecError(p, 2, 3, "a", "x")));
        assertThat(e.errors()).extracting(SpecError::message).containsExactly("a", "b", "c");
        assertThat(e.getMessage()).isEqualTo("p.yaml:2:3: a — x\np.yaml:2:5: b — x\np.yaml:9:1: c — x");
    }
}

package dev.candor.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.candor.pipeline.spec.KitchenStage.KitchenConfig;
import dev.candor.pipeline.spec.KitchenStage.Mode;
import dev.candor.pipeline.spec.KitchenStage.Part;
import dev.candor.stages.spi.StageCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding {@code with:} blocks by reflection, for every kind of value a config record may hold. */
class ConfigBindingSpecTest {
    private static final String HEAD = """
            apiVersion: candor/v1
            kind: Pipeline
            metadata: {name: kitchen}
            spec:
              stages:
                - id: k
                  type: test.kitchen
                  with:
            """;

    @TempDir
    Path dir;
    private PipelineLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/ref.csv"), "a,b\n1,2\n");
        loader = new PipelineLoader(StageCatalog.of(new KitchenStage()));
    }

    private PipelineSpec load(String with) throws SpecException {
        return loader.parse(dir.resolve("pipeline.yaml"), HEAD + with.indent(8));
    }

    private List<String> errors(String with) {
        SpecException e = catchThrowableOfType(SpecException.class, () -> load(with));
        assertThat(e).as("expected errors for:\n%s", with).isNotNull();
        return e.errors().stream().map(err -> err.line() + ":" + err.column() + ": " + err.message()).toList();
    }

    @Test
    void bindsEveryKindOfValue() throws Exception {
        PipelineSpec spec = load("""
                count: 0x10
                big: 9000000000
                ratio: 1e-3
                flag: True
                layers: [{units: 64}, {units: 32, dropout: 0}]
                groups: {demographic: [sex, age], clinical: []}
                mode: fast-and-loose
                main: {name: trunk, weight: 0.5}
                parts:
                  - name: left
                  - {name: right, weight: 1}
                reference: data/ref.csv
                class: Benign
                """);

        KitchenConfig config = spec.stages().get(0).config(KitchenConfig.class);
        assertThat(config.count()).isEqualTo(16);
        assertThat(config.big()).isEqualTo(9_000_000_000L);
        assertThat(config.ratio()).isEqualTo(0.001);
        assertThat(config.flag()).isTrue();
        assertThat(config.boxed()).as("absent boxed value").isNull();
        assertThat(config.layers()).containsExactly(Map.of("units", 64), Map.of("units", 32, "dropout", 0));
        assertThat(config.groups()).containsExactly(entry("demographic", List.of("sex", "age")),
                entry("clinical", List.of()));
        assertThat(config.mode()).isEqualTo(Mode.FAST_AND_LOOSE);
        assertThat(config.main()).isEqualTo(new Part("trunk", 0.5));
        assertThat(config.parts()).containsExactly(new Part("left", null), new Part("right", 1.0));
        assertThat(config.reference()).isEqualTo(dir.resolve("data/ref.csv").toAbsolutePath().normalize().toString());
        assertThat(config.className()).isEqualTo("Benign");
        Path ref = dir.resolve("data/ref.csv").toAbsolutePath().normalize();
        assertThat(spec.stages().get(0).dataFiles()).containsExactly(ref);

        // What the run hands the stage: the same config, reading its private copy of the data file.
        assertThat(spec.stages().get(0).dataFileKeys()).containsExactly(entry(ref, "reference"));
        KitchenConfig reading = (KitchenConfig) spec.stages().get(0).configReading(Map.of(ref, Path.of("/copies/0/ref.csv")));
        assertThat(reading.reference()).isEqualTo(Path.of("/copies/0/ref.csv").toString());
        assertThat(reading).usingRecursiveComparison().ignoringFields("reference").isEqualTo(config);
    }

    @Test
    void absentPrimitivesTakeTheirZeroAndExplicitNullCountsAsAbsent() throws Exception {
        KitchenConfig config = load("""
                count: 1
                boxed: ~
                mode:
                """).stages().get(0).config(KitchenConfig.class);

        assertThat(config.big()).isZero();
        assertThat(config.ratio()).isZero();
        assertThat(config.flag()).isFalse();
        assertThat(config.boxed()).isNull();
        assertThat(config.mode()).isNull();
        assertThat(config.parts()).isNull();
    }

    @Test
    void reportsMistakesInsideListsAndMapsAtTheirOwnPlace() {
        // with: is on line 8; its keys start on line 9, column 9.
        assertThat(errors("""
                count: 1
                layers: [{units: many}]
                groups: {demographic: sex}
                parts:
                  - weight: 0.5
                  - {name: right, wieght: 0.5}
                """)).containsExactly(
                "10:26: stage 'k' (test.kitchen): 'layers[0].units' must be a whole number, found the string 'many'",
                "11:31: stage 'k' (test.kitchen): 'groups.demographic' must be a list, found the string 'sex'",
                "13:13: stage 'k' (test.kitchen) is missing the required key 'parts[0].name'",
                "14:27: unknown key 'wieght' in 'parts[1]' of stage 'k' (test.kitchen)");
    }

    @Test
    void reportsAConfigExceptionAtTheKeyItNames() {
        assertThat(errors("""
                count: 1
                ratio: -0.5
                """)).containsExactly("10:9: stage 'k' (test.kitchen), key 'ratio': must be at least 0, got -0.5");
        // A nested record's constructor runs first; the outer one only once everything inside it bound.
        assertThat(errors("""
                count: 1
                ratio: -0.5
                parts: [{name: a}, {name: b, weight: 2}]
                """)).containsExactly(
                "11:38: stage 'k' (test.kitchen), key 'parts[1].weight': must be at most 1, got 2.0");
        assertThat(errors("""
                count: 1
                class: none
                """)).as("a component name is mapped to its @Key")
                .containsExactly("10:9: stage 'k' (test.kitchen), key 'class': must name a class, got 'none'");
    }

    @Test
    void reportsOtherIllegalArgumentsAtTheWithBlock() {
        assertThat(errors("""
                count: 1
                boxed: 13
                """)).containsExactly("8:7: stage 'k' (test.kitchen): boxed and count clash: 13 is reserved");
    }

    @Test
    void reportsAMissingRequiredKeyWhenWithIsAbsentAtTheStage() {
        SpecException e = catchThrowableOfType(SpecException.class,
                () -> loader.parse(dir.resolve("p.yaml"), HEAD.replace("      with:\n", "")));
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.position()).isEqualTo(new Position(6, 7));
            assertThat(error.message()).isEqualTo("stage 'k' (test.kitchen) is missing the required key 'count'");
            assertThat(error.fix()).isEqualTo("add 'count: ...' under 'with:' (How many)");
        });
    }

    @Test
    void refusesValuesOfTheWrongKind() {
        assertThat(errors("""
                count: 2.5
                big: 99999999999999999999
                flag: "true"
                mode: Careful
                main: trunk
                class: 42
                """)).containsExactly(
                "9:16: stage 'k' (test.kitchen): 'count' must be a whole number, found the number 2.5",
                "10:14: stage 'k' (test.kitchen): 'big' is 99999999999999999999, out of range",
                "11:15: stage 'k' (test.kitchen): 'flag' must be true or false, found the string 'true'",
                "12:15: stage 'k' (test.kitchen): 'mode' is 'Careful', which is not a valid choice",
                "13:15: stage 'k' (test.kitchen): 'main' must be a map, found the string 'trunk'",
                "14:16: stage 'k' (test.kitchen): 'class' must be a string, found the integer 42");
    }
}

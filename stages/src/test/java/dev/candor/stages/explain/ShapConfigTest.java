package dev.candor.stages.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.stages.data.Split;
import dev.candor.stages.model.EncodedFeature;
import dev.candor.stages.model.FeatureEncoder;
import dev.candor.stages.spi.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapConfigTest {

    @Test
    void fillsDefaults() {
        ShapConfig c = ShapConfig.defaults();
        assertThat(c.split()).isEqualTo(Split.TEST);
        assertThat(c.rows()).isEqualTo(200);
        assertThat(c.background()).isEqualTo(100);
        assertThat(c.backgroundMethod()).isEqualTo(ShapConfig.BackgroundMethod.SAMPLE);
        assertThat(c.method()).isEqualTo(ShapConfig.Method.AUTO);
        assertThat(c.samples()).isZero();
        assertThat(c.classes()).isEmpty();
        assertThat(c.top()).isEqualTo(5);
    }

    @Test
    void namesTheKeyOutOfRange() {
        assertKey(() -> new ShapConfig(null, 0, null, null, null, null, null, null), "rows", "[1, 1000000], got 0");
        assertKey(() -> new ShapConfig(null, null, -3, null, null, null, null, null), "background", "got -3");
        assertKey(() -> new ShapConfig(null, null, null, null, null, 1, null, null), "samples", "got 1");
        assertKey(() -> new ShapConfig(null, null, null, null, null, null, List.of("a", "a"), null), "classes", "twice");
        assertKey(() -> new ShapConfig(null, null, null, null, null, null, List.of(" "), null), "classes", "blank");
        assertKey(() -> new ShapConfig(null, null, null, null, null, null, null, 0), "top", "got 0");
    }

    @Test
    void aOneHotColumnIsOnePlayer() {
        FeatureEncoder encoder = new FeatureEncoder(List.of(
                EncodedFeature.standardized("radius", 14, 3.5),
                EncodedFeature.oneHot("site", "left"),
                EncodedFeature.standardized("texture", 19, 4),
                EncodedFeature.oneHot("site", "right")));
        List<ShapJson.Player> players = ShapStage.players(encoder);
        assertThat(players).extracting(ShapJson.Player::column).containsExactly("radius", "site", "texture");
        assertThat(players.get(1).features()).containsExactly("site=left", "site=right");
        assertThat(ShapStage.playerColumns(encoder, players)).containsExactly(new int[] {0}, new int[] {1, 3}, new int[] {2});
    }

    private static void assertKey(Runnable r, String key, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo(key)).hasMessageContaining(message);
    }
}

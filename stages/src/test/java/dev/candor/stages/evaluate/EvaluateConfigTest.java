package dev.candor.stages.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.stages.data.Split;
import dev.candor.stages.spi.ConfigException;
import org.junit.jupiter.api.Test;

class EvaluateConfigTest {
    @Test
    void absentKeysTakeTheirDefaults() {
        EvaluateConfig c = EvaluateConfig.defaults();
        assertThat(c.split()).isEqualTo(Split.TEST);
        assertThat(c.positiveClass()).isNull();
        assertThat(c.batch()).isEqualTo(256);
        assertThat(c.bootstrap()).isEqualTo(1000);
        assertThat(c.confidence()).isEqualTo(0.95);
    }

    @Test
    void outOfRangeValuesNameTheirKeyAndTheRange() {
        assertRefused(() -> new EvaluateConfig(null, null, 0, null, null), "batch", "must be in [1, 1000000], got 0");
        assertRefused(() -> new EvaluateConfig(null, null, null, -1, null), "bootstrap", "must be in [0, 100000]");
        assertRefused(() -> new EvaluateConfig(null, null, null, null, 1.0), "confidence", "must be in (0, 1), e.g. 0.95, got 1.0");
        assertRefused(() -> new EvaluateConfig(null, " ", null, null, null), "positive_class", "is blank");
        assertThat(new EvaluateConfig(Split.VALIDATION, "yes", 1, 0, 0.5).bootstrap()).isZero();
    }

    private static void assertRefused(Runnable r, String key, String message) {
        assertThatThrownBy(r::run).isInstanceOf(ConfigException.class).hasMessageContaining(message)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }
}

package dev.candor.gpu.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceTest {
    @Test
    void parsesTheFourForms() {
        assertThat(Device.parse("auto")).isEqualTo(Device.AUTO);
        assertThat(Device.parse(" CPU ")).isEqualTo(Device.CPU);
        assertThat(Device.parse("cuda")).isEqualTo(Device.cuda(0));
        assertThat(Device.parse("cuda:3")).isEqualTo(new Device(Device.Kind.CUDA, 3));
        assertThat(Device.parse("cuda:3").toString()).isEqualTo("cuda:3");
        assertThat(Device.parse("cuda:0").toString()).isEqualTo("cuda");
        assertThat(Device.AUTO.toString()).isEqualTo("auto");
    }

    @Test
    void refusesAnythingElseQuotingTheText() {
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", "cuda1", "", "cuda:99999"}) {
            assertThatThrownBy(() -> Device.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("device '" + bad + "' is not one of auto, cpu, cuda, cuda:N");
        }
        assertThatThrownBy(() -> Device.parse(null)).hasMessageContaining("device is not set");
        assertThatThrownBy(() -> new Device(Device.Kind.CPU, 2)).hasMessageContaining("only a cuda device takes a number");
    }
}

package dev.candor.gpu.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtSessionsTest {
    private static final byte[] MODEL = TinyModels.softmaxRegression(
            new float[][] {{1, 0}, {0, 1}}, new float[] {0, 0}, Map.of());
    private static final EnumSet<OrtProvider> CPU_ONLY = EnumSet.of(OrtProvider.CPU);
    private static final EnumSet<OrtProvider> WITH_CUDA = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA);

    @Test
    void choosesTheProviderFromTheDeviceAndTheBuild() {
        assertThat(OrtSessions.choose(Device.CPU, WITH_CUDA).provider()).isEqualTo(OrtProvider.CPU);
        assertThat(OrtSessions.choose(Device.AUTO, WITH_CUDA))
                .isEqualTo(new OrtSessions.Choice(OrtProvider.CUDA, 0, "auto: this build of ONNX Runtime has a CUDA provider"));
        assertThat(OrtSessions.choose(Device.AUTO, CPU_ONLY).provider()).isEqualTo(OrtProvider.CPU);
        assertThat(OrtSessions.choose(Device.AUTO, CPU_ONLY).reason()).contains("has no CUDA provider");
        OrtSessions.Choice second = OrtSessions.choose(Device.parse("cuda:1"), WITH_CUDA);
        assertThat(second.provider()).isEqualTo(OrtProvider.CUDA);
        assertThat(second.deviceIndex()).isEqualTo(1);
        assertThatThrownBy(() -> OrtSessions.choose(Device.parse("cuda"), CPU_ONLY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("device 'cuda' was asked for but this build of ONNX Runtime has no CUDA provider:"
                        + " build with -Pcuda and install CUDA 12 + cuDNN 9, or use device: auto");
    }

    @Test
    void cudaOnTheCpuBuildFailsWithTheFix() {
        assumeFalse(OrtSessions.availableProviders().contains(OrtProvider.CUDA),
                "this check is for the default CPU build of ONNX Runtime");
        assertThatThrownBy(() -> OrtSessions.open(MODEL, SessionSettings.defaults().withDevice(Device.parse("cuda:0"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device 'cuda' was asked for but this build of ONNX Runtime has no CUDA provider")
                .hasMessageContaining("use device: auto");
    }

    @Test
    void autoFallsBackToTheCpuAndSaysSoOnce() {
        assumeFalse(OrtSessions.availableProviders().contains(OrtProvider.CUDA),
                "this check is for the default CPU build of ONNX Runtime");
        try (OpenSession a = OrtSessions.open(MODEL, SessionSettings.defaults());
             OpenSession b = OrtSessions.open(MODEL, SessionSettings.defaults().withIntraOpThreads(1))) {
            assertThat(a.provider()).isEqualTo(OrtProvider.CPU);
            assertThat(a.where()).isEqualTo("cpu");
            assertThat(a.reason()).contains("no CUDA provider");
            assertThat(b.provider()).isEqualTo(OrtProvider.CPU);
        }
        assertThat(OrtSessions.AUTO_LOG_LINES.get()).isEqualTo(1);
    }

    @Test
    void cpuSessionsReportTheirProvider(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.onnx");
        Files.write(file, MODEL);
        try (OpenSession s = OrtSessions.open(file, SessionSettings.defaults().withDevice(Device.CPU))) {
            assertThat(s.provider()).isEqualTo(OrtProvider.CPU);
            assertThat(s.reason()).isEqualTo("asked for cpu");
            assertThat(s.session().getInputNames()).containsExactly("features");
        }
    }

    @Test
    void badModelsAreRefusedNamingThem(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.onnx");
        assertThatThrownBy(() -> OrtSessions.open(missing, SessionSettings.defaults()))
                .hasMessage("ONNX model file " + missing + " does not exist or is not a file");
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "not a model");
        assertThatThrownBy(() -> OrtSessions.open(junk, SessionSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ONNX Runtime cannot load " + junk + ": ");
        assertThatThrownBy(() -> SessionSettings.defaults().withIntraOpThreads(0))
                .hasMessage("intra-op threads must be >= 1, got 0");
    }
}

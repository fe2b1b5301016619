package dev.candor.pipeline.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated pipeline file: everything the planner needs, bound to typed records.
 *
 * @param file     the pipeline file, absolute and normalized
 * @param yamlText the file's text exactly as read
 * @param sha256   the SHA-256 of the file's bytes, lower-case hex, recorded with every run
 * @param metadata the {@code metadata:} block
 * @param seed     the pipeline seed ({@code spec.seed}, 0 when not written); every random choice derives from it
 * @param runner   the Beam runner: {@code direct} (default), {@code flink} or {@code spark}
 * @param device   the ONNX Runtime device: {@code auto} (default), {@code cpu}, {@code cuda} or {@code cuda:N}
 * @param stages   the stages in file order
 * @param gates    the release gates in file order
 * @param dataRoots where the stages' data files were allowed to be; the run opens them only through it
 */
public record PipelineSpec(Path file, String yamlText, String sha256, Metadata metadata, long seed, String runner,
                           String device, List<StageSpec> stages, List<GateSpec> gates, DataRoots dataRoots) {
    public PipelineSpec {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(dataRoots, "dataRoots");
        stages = List.copyOf(stages);
        gates = List.copyOf(gates);
    }

    public Optional<StageSpec> stage(String id) {
        return stages.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}

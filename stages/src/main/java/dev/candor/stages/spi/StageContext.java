package dev.candor.stages.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.options.PipelineOptions;

/** What the engine gives a running stage. */
public interface StageContext {

    String runId();

    String stageId();

    /** This stage's seed, derived from the pipeline seed and the stage id (stable when other stages change). */
    long seed();

    /** The input artifacts, in the order the YAML lists them (and, for implied inputs, after them). */
    List<InputArtifact> inputs();

    /** The first input of a kind. */
    default InputArtifact input(ArtifactKind kind) {
        return inputs().stream()
                .filter(a -> a.kind() == kind)
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("stage '" + stageId() + "' has no " + kind.label() + " input"));
    }

    /** An empty directory for the output artifact; the driver moves it into the store afterwards. */
    Path outputDir();

    /** A scratch directory, deleted after the stage. */
    Path scratchDir();

    /** Fresh Beam options for the configured runner (DirectRunner by default), one per Beam pipeline. */
    PipelineOptions beamOptions();

    /** The ONNX Runtime device: {@code auto}, {@code cpu} or {@code cuda[:N]}. */
    String device();

    MetricSink metrics();

    /** Where to report findings (identifier columns, groups too small to judge) that are not metrics. */
    FindingSink findings();

    Progress progress();
}

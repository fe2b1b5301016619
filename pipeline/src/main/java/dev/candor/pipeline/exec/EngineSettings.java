package dev.candor.pipeline.exec;

/**
 * How the engine runs pipelines, beside what the YAML says.
 *
 * @param engineVersion      part of every fingerprint
 * @param runnerOverride     a Beam runner chosen on the command line, or null to use the YAML's
 * @param deviceOverride     an ONNX Runtime device chosen on the command line, or null to use the YAML's
 * @param maxParallelStages  how many independent stages may run at once
 * @param actor              who runs it (recorded with the run)
 */
public record EngineSettings(String engineVersion, String runnerOverride, String deviceOverride, int maxParallelStages, String actor) {
    public EngineSettings {
        if (maxParallelStages < 1) throw new IllegalArgumentException("maxParallelStages must be >= 1, got " + maxParallelStages);
        actor = actor == null ? System.getProperty("user.name", "unknown") : actor;
    }

    public static EngineSettings defaults() {
        return new EngineSettings(EngineVersion.get(), null, null, 2, null);
    }
}

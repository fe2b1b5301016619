package dev.candor.registry;

/**
 * The same stage in an earlier run of the same pipeline: what the engine compares against to say why a stage reran.
 *
 * @param fingerprint     its fingerprint
 * @param configJson      its canonical config
 * @param inputHashesJson its input hashes
 * @param runId           the earlier run
 */
public record PreviousStage(String fingerprint, String configJson, String inputHashesJson, String runId) {
}

package dev.candor.registry;

/**
 * A stage about to run (or to be skipped), as the planner saw it.
 *
 * @param stageId         the stage's {@code id} in the YAML
 * @param stageType       its {@code type}, such as {@code train.tribuo}
 * @param position        its index in the plan's order, from 0
 * @param fingerprint     sha256 of type, canonical config, input hashes and engine version (64 hex digits); null only
 *                        for a stage that is skipped because its inputs were never produced
 * @param inputHashesJson the input artifacts' hashes by input name, as JSON; null exactly when the fingerprint is
 * @param configJson      the canonical config, as JSON
 */
public record StageStart(String stageId, String stageType, int position, String fingerprint, String configJson,
                         String inputHashesJson) {
    public StageStart {
        Require.text(stageId, "StageStart.stageId");
        Require.text(stageType, "StageStart.stageType");
        if (position < 0) {
            throw new IllegalArgumentException("StageStart.position of stage '" + stageId + "' is " + position + "; expected >= 0");
        }
        Require.present(configJson, "StageStart.configJson of stage '" + stageId + "'");
        if (fingerprint != null || inputHashesJson != null) {
            Require.sha256(fingerprint, "StageStart.fingerprint of stage '" + stageId + "'");
            Require.present(inputHashesJson, "StageStart.inputHashesJson of stage '" + stageId + "'");
        }
    }

    /** A stage that will not run because an input stage failed: nothing to fingerprint. */
    public static StageStart unreachable(String stageId, String stageType, int position, String configJson) {
        return new StageStart(stageId, stageType, position, null, configJson, null);
    }
}

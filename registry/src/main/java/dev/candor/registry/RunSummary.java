package dev.candor.registry;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the run list.
 *
 * @param id           the run id
 * @param pipelineName the pipeline's name
 * @param status       RUNNING, SUCCEEDED, FAILED (a stage failed) or FAILED_GATES (stages succeeded, a gate did not pass)
 * @param startedAt    when it started
 * @param finishedAt   when it ended, or null while running
 * @param durationMs   finishedAt − startedAt, or null while running
 * @param stages       how many stage runs it has (skipped ones included)
 * @param cachedStages how many of them were served from cache
 * @param keyStage     the stage the headline metrics come from: the first stage in plan order that reported one on
 *                     split {@code test}; null when none did
 * @param keyMetrics   that stage's headline metrics ({@link RegistryQueries#KEY_METRICS}) on split {@code test}, whole
 *                     split (no slice), in that order; a name is absent when the stage did not report it
 */
public record RunSummary(String id, String pipelineName, String status, Instant startedAt, Instant finishedAt,
                         Long durationMs, int stages, int cachedStages, String keyStage, Map<String, Double> keyMetrics) {
    public RunSummary {
        keyMetrics = keyMetrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(keyMetrics));
    }
}

package dev.candor.dashboard;

import dev.candor.registry.RunSummary;

/**
 * One line of the run list: the registry's summary with its gates in words.
 *
 * @param summary     the run
 * @param gates       {@link GatesView#tally}: "none", "PASS: …", "FAIL: … (expressions)", "not checked", or blank
 * @param gatesFailed whether a gate did not pass (the run ended FAILED_GATES)
 */
public record RunRow(RunSummary summary, String gates, boolean gatesFailed) {
}

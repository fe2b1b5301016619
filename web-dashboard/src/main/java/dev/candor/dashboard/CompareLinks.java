package dev.candor.dashboard;

/**
 * What a run page offers to compare the run with.
 *
 * @param run      the run shown
 * @param previous the run of the same pipeline that started last before it, or blank
 * @param approved the last earlier run of the same pipeline with an approved model version, or blank
 */
public record CompareLinks(String run, String previous, String approved) {
}

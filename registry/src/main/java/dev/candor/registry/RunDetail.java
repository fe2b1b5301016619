package dev.candor.registry;

import java.util.List;

/**
 * Everything about one run that the CLI and the dashboard show.
 *
 * @param summary       the run-list line
 * @param seed          the pipeline seed
 * @param runner        the Beam runner
 * @param device        the compute device
 * @param engineVersion Candor's version
 * @param pipelineFile  the YAML file as the user named it
 * @param yamlSha256    sha256 of the YAML text that ran
 * @param error         why the run failed, or null
 * @param stages        its stage runs in plan order
 * @param metrics       every metric of the run, in stage order, then by name, split and slice
 */
public record RunDetail(RunSummary summary, long seed, String runner, String device, String engineVersion,
                        String pipelineFile, String yamlSha256, String error, List<StageRunView> stages,
                        List<MetricView> metrics) {
    public RunDetail {
        stages = List.copyOf(stages);
        metrics = List.copyOf(metrics);
    }
}

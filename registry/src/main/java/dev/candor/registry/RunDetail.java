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
 * @param error         why the run failed (a stage, or the gates that did not pass), or null
 * @param stages        its stage runs in plan order
 * @param metrics       every metric of the run, in stage order, then by name, split and slice
 * @param gates         its release gates in pipeline order; empty when it had none or a stage failed (then they were
 *                      not checked)
 * @param findings      what its stages reported that a reviewer must see: warnings first, then in stage order and the
 *                      order each stage reported them
 */
public record RunDetail(RunSummary summary, long seed, String runner, String device, String engineVersion,
                        String pipelineFile, String yamlSha256, String error, List<StageRunView> stages,
                        List<MetricView> metrics, List<GateResultView> gates, List<FindingView> findings) {
    public RunDetail {
        stages = List.copyOf(stages);
        metrics = List.copyOf(metrics);
        gates = gates == null ? List.of() : List.copyOf(gates);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A run without gates or findings. */
    public RunDetail(RunSummary summary, long seed, String runner, String device, String engineVersion,
                     String pipelineFile, String yamlSha256, String error, List<StageRunView> stages,
                     List<MetricView> metrics) {
        this(summary, seed, runner, device, engineVersion, pipelineFile, yamlSha256, error, stages, metrics, List.of(),
                List.of());
    }
}

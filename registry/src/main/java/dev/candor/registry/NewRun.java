package dev.candor.registry;

/**
 * What the engine knows when a run starts.
 *
 * @param pipelineName  {@code metadata.name} of the YAML
 * @param pipelineFile  the YAML file as the user named it (recorded, not read)
 * @param yamlText      the exact YAML text that ran
 * @param yamlSha256    sha256 of {@code yamlText}, lowercase hex
 * @param seed          the pipeline seed
 * @param runner        the Beam runner ({@code direct}, {@code flink}, {@code spark})
 * @param device        the compute device ({@code cpu}, {@code cuda:0})
 * @param engineVersion Candor's version
 * @param actor         the OS user who started the run
 * @param worker        the process that runs it, {@code host:pid} (see {@link Worker#current()}); it sends the run's
 *                      heartbeats
 */
public record NewRun(String pipelineName, String pipelineFile, String yamlText, String yamlSha256, long seed,
                     String runner, String device, String engineVersion, String actor, String worker) {
    public NewRun {
        Require.text(pipelineName, "NewRun.pipelineName");
        Require.text(pipelineFile, "NewRun.pipelineFile");
        Require.present(yamlText, "NewRun.yamlText");
        Require.sha256(yamlSha256, "NewRun.yamlSha256");
        Require.text(runner, "NewRun.runner");
        Require.text(device, "NewRun.device");
        Require.text(engineVersion, "NewRun.engineVersion");
        Require.text(actor, "NewRun.actor");
        Require.text(worker, "NewRun.worker");
    }

    /** A run of this process ({@link Worker#current()}). */
    public NewRun(String pipelineName, String pipelineFile, String yamlText, String yamlSha256, long seed,
                  String runner, String device, String engineVersion, String actor) {
        this(pipelineName, pipelineFile, yamlText, yamlSha256, seed, runner, device, engineVersion, actor, Worker.current());
    }
}

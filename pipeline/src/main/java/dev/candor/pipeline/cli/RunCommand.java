package dev.candor.pipeline.cli;

import dev.candor.pipeline.exec.EngineSettings;
import dev.candor.pipeline.exec.EngineVersion;
import dev.candor.pipeline.exec.Executor;
import dev.candor.pipeline.exec.RunResult;
import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.spec.SpecException;
import dev.candor.pipeline.store.ArtifactStore;
import dev.candor.registry.RegistryDb;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunStatus;
import dev.candor.stages.spi.StageCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Runs a pipeline: stages whose inputs and configuration are unchanged come from the cache.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the pipeline YAML")
    Path file;

    @Mixin
    HomeOptions home;

    @Option(names = "--runner", description = "Beam runner, overriding the pipeline's: direct, flink, spark")
    String runner;

    @Option(names = "--device", description = "ONNX Runtime device, overriding the pipeline's: auto, cpu, cuda, cuda:N")
    String device;

    @Option(names = "--data-root", paramLabel = "DIR", description = "another directory data paths may point into (repeatable; also $CANDOR_DATA_ROOTS)")
    List<Path> dataRoots = List.of();

    @Option(names = "--parallel", description = "independent stages run at once (default ${DEFAULT-VALUE})")
    int parallel = 2;

    @Option(names = "--plain", description = "plain progress lines even on a terminal")
    boolean plain;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PipelineSpec pipeline;
        try {
            pipeline = Specs.load(file, dataRoots);
        } catch (SpecException e) {
            Specs.print(e, err);
            return CandorCli.SPEC_ERROR;
        }
        CandorHome h = home.resolve();
        boolean live = !plain && System.console() != null && System.getenv("CI") == null;
        int idWidth = pipeline.stages().stream().mapToInt(st -> st.id().length()).max().orElse(0);
        int typeWidth = pipeline.stages().stream().mapToInt(st -> st.type().length()).max().orElse(0);
        try (RegistryDb db = RegistryDb.open(h.db());
             ProgressPrinter progress = new ProgressPrinter(System.out, live, idWidth, typeWidth)) {
            AbandonedRuns.sweep(db.registry(), err);
            Executor executor = new Executor(StageCatalog.load(), new ArtifactStore(h.artifacts()), db.registry(),
                    new EngineSettings(EngineVersion.get(), runner, device, parallel, null));
            System.out.printf("pipeline '%s' (%s), home %s%n", pipeline.metadata().name(), file, h.dir());
            RunResult result = executor.run(pipeline, progress);
            progress.close();
            System.out.println();
            RunDetail detail = db.registry().getRun(result.runId()).orElseThrow();
            RunViews.printMetrics(detail, System.out);
            RunViews.printFindings(detail, System.out);
            RunViews.printGates(detail, System.out);
            String outcome = switch (result.status()) {
                case SUCCEEDED -> "succeeded";
                case FAILED_GATES -> "FAILED its gates";
                default -> "FAILED";
            };
            System.out.printf("%nrun %s %s in %s%n", result.runId(), outcome, ProgressPrinter.seconds(result.durationMs()));
            if (result.endedElsewhere()) {
                // This process lost its lease (it was paused or cut off): an error of the environment, not of a stage.
                System.out.flush();
                err.println("candor: " + result.failure());
                err.flush();
                return CandorCli.ENVIRONMENT_ERROR;
            }
            if (result.status() == RunStatus.FAILED) {
                System.out.println(Messages.shown(result.failure()));
                System.out.printf("fix the cause and run the same command again: finished stages come from the cache.%n");
            } else if (result.status() == RunStatus.FAILED_GATES) {
                System.out.println(Messages.shown(result.failure()));
                System.out.printf("its models cannot be approved; change the model or the data and run again.%n");
            }
            System.out.printf("see it with: candor show %s   or in the dashboard: candor up%n", result.runId().substring(0, 8));
            System.out.flush();
            return switch (result.status()) {
                case SUCCEEDED -> CandorCli.OK;
                case FAILED_GATES -> CandorCli.GATE_FAILED;
                default -> CandorCli.STAGE_FAILED;
            };
        }
    }
}

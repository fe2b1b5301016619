package dev.candor.pipeline.cli;

import dev.candor.registry.RegistryDb;
import dev.candor.registry.RunDetail;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Shows one run: its stages (status, time, cache decision), metrics, findings and gates.")
final class ShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", description = "run id, or a unique prefix of one")
    String run;

    @Mixin
    HomeOptions home;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (RegistryDb db = RegistryDb.open(home.resolve().db())) {
            AbandonedRuns.sweep(db.registry(), spec.commandLine().getErr());
            Optional<RunDetail> found = db.registry().getRun(run);
            if (found.isEmpty()) {
                System.err.println("candor: no run '" + run + "' in the registry (candor runs lists them)");
                return CandorCli.SPEC_ERROR;
            }
            RunDetail d = found.get();
            if (json) {
                System.out.println(RunViews.JSON.writeValueAsString(d));
                return CandorCli.OK;
            }
            var s = d.summary();
            System.out.printf("run %s — pipeline '%s' — %s%n", s.id(), s.pipelineName(), s.status());
            System.out.printf("started %s, took %s; seed %d, runner %s, device %s, engine %s%n", s.startedAt(),
                    s.durationMs() == null ? "-" : ProgressPrinter.seconds(s.durationMs()), d.seed(), d.runner(), d.device(), d.engineVersion());
            System.out.printf("pipeline file %s (sha256 %s)%n", d.pipelineFile(), d.yamlSha256());
            if (d.error() != null) System.out.println("error: " + Messages.shown(d.error()));
            System.out.println();
            RunViews.printStages(d, System.out);
            System.out.println();
            RunViews.printMetrics(d, System.out);
            RunViews.printFindings(d, System.out);
            RunViews.printGates(d, System.out);
        }
        return CandorCli.OK;
    }
}

package dev.candor.pipeline.cli;

import dev.candor.registry.RegistryDb;
import dev.candor.registry.RunSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "runs", description = "Lists recorded runs, newest first.")
final class RunsCommand implements Callable<Integer> {
    @Mixin
    HomeOptions home;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--limit", description = "at most this many runs (default ${DEFAULT-VALUE})")
    int limit = 50;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (RegistryDb db = RegistryDb.open(home.resolve().db())) {
            AbandonedRuns.sweep(db.registry(), spec.commandLine().getErr());
            List<RunSummary> runs = db.registry().listRuns(limit);
            if (json) System.out.println(RunViews.JSON.writeValueAsString(runs));
            else if (runs.isEmpty()) System.out.println("no runs yet: candor run PIPELINE.yaml");
            else RunViews.printSummaries(runs, System.out);
        }
        return CandorCli.OK;
    }
}

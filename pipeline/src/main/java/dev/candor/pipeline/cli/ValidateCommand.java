package dev.candor.pipeline.cli;

import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.spec.SpecException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Checks pipeline files and reports every mistake as file:line:col: what — fix.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "pipeline YAML files")
    List<Path> files;

    @Option(names = "--data-root", paramLabel = "DIR", description = "another directory data paths may point into (repeatable; also $CANDOR_DATA_ROOTS)")
    List<Path> dataRoots = List.of();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int code = CandorCli.OK;
        for (Path file : files) {
            try {
                PipelineSpec p = Specs.load(file, dataRoots);
                spec.commandLine().getOut().printf("%s: valid — pipeline '%s', %d stages, %d gate%s%n", file, p.metadata().name(),
                        p.stages().size(), p.gates().size(), p.gates().size() == 1 ? "" : "s");
            } catch (SpecException e) {
                Specs.print(e, spec.commandLine().getErr());
                code = CandorCli.SPEC_ERROR;
            }
        }
        spec.commandLine().getOut().flush();
        return code;
    }
}

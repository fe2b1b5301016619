package dev.candor.pipeline.cli;

import dev.candor.pipeline.spec.JsonSchemaGenerator;
import dev.candor.stages.spi.StageCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "schema", description = "Prints the JSON Schema of the pipeline format (for editors: completion and checks).")
final class SchemaCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println(new JsonSchemaGenerator(StageCatalog.load()).generateJson());
        return CandorCli.OK;
    }
}

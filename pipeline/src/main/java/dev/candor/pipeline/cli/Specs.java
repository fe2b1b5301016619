package dev.candor.pipeline.cli;

import dev.candor.pipeline.spec.PipelineLoader;
import dev.candor.pipeline.spec.PipelineSpec;
import dev.candor.pipeline.spec.SpecError;
import dev.candor.pipeline.spec.SpecException;
import dev.candor.stages.spi.StageCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loading pipeline files the same way in every command. */
final class Specs {
    private Specs() {
    }

    static PipelineSpec load(Path file, List<Path> dataRoots) throws SpecException {
        List<Path> roots = new ArrayList<>(dataRoots);
        roots.addAll(PipelineLoader.parseDataRoots(System.getenv(PipelineLoader.DATA_ROOTS_ENV)));
        return new PipelineLoader(StageCatalog.load(), roots).load(file);
    }

    static void print(SpecException e, PrintWriter err) {
        for (SpecError error : e.errors()) err.println(error);
        err.printf("%d error%s%n", e.errors().size(), e.errors().size() == 1 ? "" : "s");
        err.flush();
    }
}

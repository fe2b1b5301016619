package dev.candor.dashboard;

import dev.candor.registry.Registry;
import dev.candor.registry.RunSummary;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The server-rendered pages: runs, newest first, and one run in detail. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class Pages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(List<RunSummary> runs, List<String> metricNames);

        static native TemplateInstance run(RunPage page);
    }

    private final Registry registry;

    Pages(Registry registry) {
        this.registry = registry;
    }

    @GET
    public TemplateInstance runs() {
        return Templates.runs(registry.listRuns(200), List.of("accuracy", "roc_auc", "f1_macro", "log_loss"));
    }

    @GET
    @Path("runs/{id}")
    public TemplateInstance run(@PathParam("id") String id) {
        return Templates.run(RunPage.of(registry.getRun(id).orElseThrow(() -> new NotFoundException("no run '" + id + "'"))));
    }
}

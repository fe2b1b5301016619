package dev.candor.dashboard;

import dev.candor.registry.ModelVersionView;
import dev.candor.registry.Registry;
import dev.candor.registry.RunDetail;
import dev.candor.registry.RunSummary;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The JSON API behind the pages: the same records the CLI prints with {@code --json}. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {
    private static final int MAX_LIMIT = 10_000;

    private final Registry registry;

    RunsResource(Registry registry) {
        this.registry = registry;
    }

    @GET
    public List<RunSummary> list(@QueryParam("limit") @DefaultValue("100") String limit) {
        // Parsed here, not by JAX-RS: a limit that is not a number is then a 400 that says so, not a bare 404.
        int n;
        try {
            n = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT + ", got "
                    + Echo.id(limit));
        }
        return registry.listRuns(n);
    }

    @GET
    @Path("{id}")
    public RunDetail get(@PathParam("id") String id) {
        return registry.getRun(id).orElseThrow(() -> new NotFoundException("no run " + Echo.id(id) + " in the registry"));
    }

    /** The model versions the run registered, with their review status. */
    @GET
    @Path("{id}/models")
    public List<ModelVersionView> models(@PathParam("id") String id) {
        RunDetail run = get(id);
        return registry.modelVersions(run.summary().id());
    }
}

package dev.candor.dashboard;

import dev.candor.registry.Registry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The compare page as JSON: {@code /api/compare?run=ID&run=ID…}; errors are problem JSON (400, 404). */
@Path("/api/compare")
@Produces(MediaType.APPLICATION_JSON)
public class CompareApi {
    private final Registry registry;

    CompareApi(Registry registry) {
        this.registry = registry;
    }

    @GET
    public Comparison compare(@QueryParam("run") List<String> ids) {
        return CompareResource.compare(registry, ids);
    }
}

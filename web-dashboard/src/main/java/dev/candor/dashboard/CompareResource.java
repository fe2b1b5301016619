package dev.candor.dashboard;

import dev.candor.registry.RegistryLimits;
import dev.candor.registry.Registry;
import dev.candor.registry.RunDetail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The compare page, {@code /compare?run=ID&run=ID…} (ids or unique prefixes; the oldest run is the baseline), reached from
 * the run list's check boxes (a plain GET form) or a run page's "compare with the previous run" link. A request the
 * page cannot answer (too few or too many runs, an unknown id) is a 400 or 404 page that says how to fix it.
 */
@Path("/compare")
public class CompareResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance compare(Comparison comparison);
    }

    private final Registry registry;

    CompareResource(Registry registry) {
        this.registry = registry;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam("run") List<String> ids) {
        try {
            return Response.ok(Templates.compare(compare(registry, ids)).render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        } catch (NotFoundException e) {
            return problem(404, "No such run", e.getMessage());
        } catch (IllegalArgumentException e) {
            return problem(400, "Cannot compare these runs", e.getMessage());
        }
    }

    /**
     * The comparison of the runs {@code ids} names, oldest (the baseline) first. Fewer than two, more than four or the same run twice
     * is an {@link IllegalArgumentException}; an id no run has is a {@link NotFoundException}; both name the fix.
     */
    static Comparison compare(Registry registry, List<String> ids) {
        List<String> given = ids == null ? List.of() : ids.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (given.size() < Comparison.MIN_RUNS || given.size() > Comparison.MAX_RUNS) {
            throw new IllegalArgumentException("compare needs " + Comparison.MIN_RUNS + " to " + Comparison.MAX_RUNS
                    + " runs, got " + given.size() + (given.isEmpty() ? "" : " (" + String.join(", ", given.stream()
                            .limit(Comparison.MAX_RUNS + 1).map(Echo::id).toList()) + (given.size() > Comparison.MAX_RUNS + 1
                            ? ", …" : "") + ")")
                    + ": tick 2 to 4 runs on the run list, or ask for /compare?run=ID&run=ID (the oldest is the baseline)");
        }
        for (String id : given) {
            if (id.length() > RegistryLimits.ID) {
                throw new IllegalArgumentException("run " + Echo.id(id) + " cannot be a run id or a prefix of one: pick the"
                        + " runs from the run list");
            }
        }
        List<RunDetail> runs = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String id : given) {
            Optional<RunDetail> run = registry.getRun(id);
            if (run.isEmpty()) unknown.add(id);
            else runs.add(run.get());
        }
        if (!unknown.isEmpty()) {
            throw new NotFoundException("no run " + String.join(", ", unknown.stream().map(Echo::id).toList())
                    + " in the registry: pick the runs from the run list (an id or a prefix of one)");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (RunDetail r : runs) {
            if (!distinct.add(r.summary().id())) {
                throw new IllegalArgumentException("run " + r.summary().id() + " is named twice: compare different runs");
            }
        }
        // The oldest run is the baseline, whatever order the ids came in: the question is whether the newer runs got
        // better or worse than it.
        runs.sort(Comparator.comparing((RunDetail r) -> r.summary().startedAt()).thenComparing(r -> r.summary().id()));
        return Comparison.of(runs);
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(ModelActions.Templates.problem(status, title, detail, "").render()).build();
    }
}

package dev.candor.dashboard;

import dev.candor.registry.ModelVersionView;
import dev.candor.registry.Registry;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A reviewer's decision on a model version (approve or reject), from a plain HTML form (no script). The registry
 * decides whether the
 * approval is allowed ({@link Registry#approveModel}): a refusal, such as for a model whose run failed its gates, is
 * shown as a 409 page with the registry's reason. A decision is recorded under the name the reviewer gives, in the
 * registry's audit log.
 */
@Path("/models")
public class ModelActions {
    private static final Logger LOG = Logger.getLogger(ModelActions.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance problem(int status, String title, String detail, String runId);
    }

    private final Registry registry;

    ModelActions(Registry registry) {
        this.registry = registry;
    }

    /** Approves model version {@code id} as {@code actor}; on success, back to its run's page (303, see other). */
    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response approve(@PathParam("id") String id, @FormParam("actor") String actor) {
        Optional<ModelVersionView> version = registry.modelVersion(id);
        if (version.isEmpty()) {
            return problem(404, "No such model version", "no model version with id '" + id + "' in the registry", "");
        }
        ModelVersionView mv = version.get();
        if (actor == null || actor.isBlank()) {
            return problem(400, "Your name is required", "approving model " + mv.name() + " v" + mv.version()
                    + " needs your name: the approval is recorded under it in the registry's audit log; go back and fill in"
                    + " \"your name\"", mv.runId());
        }
        try {
            registry.approveModel(mv.id(), actor.trim());
        } catch (IllegalStateException refused) {
            LOG.infof("approval of model version %s by %s refused: %s", mv.id(), actor.trim(), refused.getMessage());
            return problem(409, "Approval refused", refused.getMessage(), mv.runId());
        }
        LOG.infof("model %s v%d (%s) approved by %s", mv.name(), mv.version(), mv.id(), actor.trim());
        return Response.seeOther(URI.create("/runs/" + mv.runId() + "#model-" + mv.id())).build();
    }

    /**
     * Rejects model version {@code id} as {@code actor}, for {@code reason} (both required: the audit log keeps them);
     * an approved version may be rejected, which revokes its approval. On success, back to its run's page.
     */
    @POST
    @Path("{id}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response reject(@PathParam("id") String id, @FormParam("actor") String actor,
                           @FormParam("reason") String reason) {
        Optional<ModelVersionView> version = registry.modelVersion(id);
        if (version.isEmpty()) {
            return problem(404, "No such model version", "no model version with id '" + id + "' in the registry", "");
        }
        ModelVersionView mv = version.get();
        if (actor == null || actor.isBlank() || reason == null || reason.isBlank()) {
            return problem(400, "Your name and a reason are required", "rejecting model " + mv.name() + " v"
                    + mv.version() + " needs your name and the reason: both are recorded in the registry's audit log;"
                    + " go back and fill in \"your name\" and \"reason\"", mv.runId());
        }
        registry.rejectModel(mv.id(), actor.trim(), reason.trim());
        LOG.infof("model %s v%d (%s) rejected by %s: %s", mv.name(), mv.version(), mv.id(), actor.trim(), reason.trim());
        return Response.seeOther(URI.create("/runs/" + mv.runId() + "#model-" + mv.id())).build();
    }

    private static Response problem(int status, String title, String detail, String runId) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.problem(status, title, detail, runId).render()).build();
    }
}

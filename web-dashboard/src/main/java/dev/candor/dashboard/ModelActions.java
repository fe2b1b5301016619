package dev.candor.dashboard;

import dev.candor.registry.InputLimits;
import dev.candor.registry.RegistryLimits;
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
 * registry's audit log. A name or reason that is blank, too long for its column ({@link InputLimits}) or not one line
 * of printable text is a 400 page naming the field and the limit; request values are logged only through
 * {@link LogSafe}.
 */
@Path("/models")
public class ModelActions {
    private static final Logger LOG = Logger.getLogger(ModelActions.class);
    /** The form fields as the page labels them, for the messages that name them. */
    private static final String YOUR_NAME = "\"your name\" (actor)";
    private static final String REASON = "\"reason\"";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance problem(int status, String title, String detail, String runId);
    }

    private final Registry registry;

    ModelActions(Registry registry) {
        this.registry = registry;
    }

    /**
     * Approves model version {@code id} as {@code actor}; on success, back to its run's page (303, see other). Approving
     * an approved version again changes nothing and answers the same. Two reviewers deciding at once are serialized by
     * the registry, which writes one audit event per change.
     */
    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response approve(@PathParam("id") String id, @FormParam("actor") String actor) {
        Optional<ModelVersionView> version = find(id);
        if (version.isEmpty()) {
            return problem(404, "No such model version", "no model version with id " + Echo.id(id) + " in the registry", "");
        }
        ModelVersionView mv = version.get();
        String who;
        try {
            who = InputLimits.oneLine(YOUR_NAME, actor, RegistryLimits.ACTOR);
        } catch (IllegalArgumentException bad) {
            return problem(400, "Your name is required, as one line of at most " + RegistryLimits.ACTOR + " characters",
                    "approving model " + mv.name() + " v" + mv.version() + " needs your name: the approval is recorded"
                            + " under it in the registry's audit log. " + bad.getMessage() + "; go back and fill in"
                            + " \"your name\"", mv.runId());
        }
        boolean changed;
        try {
            changed = registry.approveModel(mv.id(), who);
        } catch (IllegalStateException refused) {
            LOG.infof("approval of model version %s by %s refused: %s", mv.id(), LogSafe.of(who), LogSafe.of(refused.getMessage()));
            return problem(409, "Approval refused", refused.getMessage(), mv.runId());
        }
        LOG.infof("model %s v%d (%s) %s by %s", LogSafe.of(mv.name()), mv.version(), mv.id(),
                changed ? "approved" : "was approved already; approve again", LogSafe.of(who));
        return back(mv);
    }

    /**
     * Rejects model version {@code id} as {@code actor}, for {@code reason} (both required: the audit log keeps them);
     * an approved version may be rejected, which revokes its approval. Rejecting a rejected version again changes
     * nothing (the first reason stands). On success, back to its run's page.
     */
    @POST
    @Path("{id}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response reject(@PathParam("id") String id, @FormParam("actor") String actor,
                           @FormParam("reason") String reason) {
        Optional<ModelVersionView> version = find(id);
        if (version.isEmpty()) {
            return problem(404, "No such model version", "no model version with id " + Echo.id(id) + " in the registry", "");
        }
        ModelVersionView mv = version.get();
        String who;
        String why;
        try {
            who = InputLimits.oneLine(YOUR_NAME, actor, RegistryLimits.ACTOR);
            why = InputLimits.oneLine(REASON, reason, InputLimits.REASON);
        } catch (IllegalArgumentException bad) {
            return problem(400, "Your name and a reason are required, each as one line of text",
                    "rejecting model " + mv.name() + " v" + mv.version() + " needs your name (at most "
                            + RegistryLimits.ACTOR + " characters) and the reason (at most " + InputLimits.REASON
                            + " characters): both are recorded in the registry's audit log. " + bad.getMessage()
                            + "; go back and fill in \"your name\" and \"reason\"", mv.runId());
        }
        boolean changed;
        try {
            changed = registry.rejectModel(mv.id(), who, why);
        } catch (IllegalStateException refused) {
            LOG.infof("rejection of model version %s by %s refused: %s", mv.id(), LogSafe.of(who), LogSafe.of(refused.getMessage()));
            return problem(409, "Rejection refused", refused.getMessage(), mv.runId());
        }
        LOG.infof("model %s v%d (%s) %s by %s: %s", LogSafe.of(mv.name()), mv.version(), mv.id(),
                changed ? "rejected" : "was rejected already; reject again", LogSafe.of(who), LogSafe.of(why));
        return back(mv);
    }

    /** The model version {@code id} names; empty for an id no model version can have (too long for the column). */
    private Optional<ModelVersionView> find(String id) {
        return id == null || id.isBlank() || id.length() > RegistryLimits.ID ? Optional.empty() : registry.modelVersion(id);
    }

    private static Response back(ModelVersionView mv) {
        return Response.seeOther(URI.create("/runs/" + mv.runId() + "#model-" + mv.id())).build();
    }

    private static Response problem(int status, String title, String detail, String runId) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.problem(status, title, detail, runId).render()).build();
    }
}

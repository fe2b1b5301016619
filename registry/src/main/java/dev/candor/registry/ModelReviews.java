package dev.candor.registry;

import dev.candor.registry.entity.AuditEvent;
import dev.candor.registry.entity.ModelVersion;
import dev.candor.registry.entity.Run;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.Session;

/**
 * A reviewer's decision on a model version, inside the registry's transaction, as one serialized state transition:
 * the model version's row is locked first ({@code SELECT … FOR UPDATE}, on H2 and PostgreSQL alike), the transition is
 * decided from the state read under that lock, and the audit event is written only when the state changes. Two
 * reviewers deciding at once therefore queue on the row: the second sees the first one's decision. Before this, 40
 * parallel rejections read CANDIDATE side by side and wrote duplicate {@code model.rejected} events.
 *
 * <p>A repeated decision (approving an approved version, rejecting a rejected one) is a no-op that reports
 * {@code false}: a double-submitted form or a retried request is harmless, and the audit log keeps the first decision
 * and its reason.
 */
final class ModelReviews {
    private ModelReviews() {
    }

    /** See {@link Registry#approveModel}; true when this call approved the version. */
    static boolean approve(Session s, String modelVersionId, String actor, Instant now) {
        ModelVersion mv = locked(s, modelVersionId);
        String which = which(mv);
        Run run = mv.getRun();
        if (run.getStatus() == RunStatus.FAILED_GATES) {
            throw new IllegalStateException("cannot approve " + which + ": run " + run.getId()
                    + " ended FAILED_GATES (" + run.getError() + "); fix the model or the data and run the pipeline"
                    + " again, then approve the model of a run whose gates passed");
        }
        if (run.getStatus() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("cannot approve " + which + ": run " + run.getId() + " is " + run.getStatus()
                    + "; only a model from a run that SUCCEEDED can be approved");
        }
        if (mv.getStatus() == ModelStatus.APPROVED) {
            return false;
        }
        if (mv.getStatus() == ModelStatus.REJECTED) {
            throw new IllegalStateException("cannot approve " + which + ": it was rejected; register a new version instead");
        }
        mv.review(ModelStatus.APPROVED);
        s.persist(new AuditEvent(UUID.randomUUID().toString(), now, actor, "model.approved", "model_version", mv.getId(),
                which + " approved (run " + run.getId() + " SUCCEEDED)"));
        return true;
    }

    /** See {@link Registry#rejectModel}; true when this call rejected the version. */
    static boolean reject(Session s, String modelVersionId, String actor, String reason, Instant now) {
        ModelVersion mv = locked(s, modelVersionId);
        if (mv.getStatus() == ModelStatus.REJECTED) {
            return false;
        }
        String which = which(mv);
        String revoked = mv.getStatus() == ModelStatus.APPROVED ? " (its approval is revoked)" : "";
        mv.review(ModelStatus.REJECTED);
        s.persist(new AuditEvent(UUID.randomUUID().toString(), now, actor, "model.rejected", "model_version", mv.getId(),
                which + " rejected" + revoked + ": " + reason));
        return true;
    }

    /** The model version, its row locked for update until the transaction ends. */
    private static ModelVersion locked(Session s, String modelVersionId) {
        ModelVersion mv = modelVersionId == null || modelVersionId.length() > RegistryLimits.ID ? null
                : s.find(ModelVersion.class, modelVersionId, LockModeType.PESSIMISTIC_WRITE);
        if (mv == null) {
            throw new IllegalArgumentException("no model version with id " + (modelVersionId == null
                    || modelVersionId.length() <= RegistryLimits.ID ? modelVersionId
                    : modelVersionId.substring(0, RegistryLimits.ID) + "… (" + modelVersionId.length() + " characters; ids have "
                    + RegistryLimits.ID + ")") + " in the registry");
        }
        return mv;
    }

    private static String which(ModelVersion mv) {
        return "model " + mv.getName() + " v" + mv.getVersion();
    }
}

package dev.candor.registry;

import dev.candor.registry.entity.AuditEvent;
import dev.candor.registry.entity.Run;
import dev.candor.registry.entity.StageRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Worker leases, inside the registry's transactions. A run's worker refreshes its heartbeat while the run goes; a
 * RUNNING run whose heartbeat is older than the lease was abandoned (its process was killed or its machine died), and
 * any process may end it. Every change is one conditional UPDATE on the run row ({@code status = 'RUNNING' and
 * heartbeat_at < cutoff}): the database's row lock lets exactly one of two processes that race on the same run act on
 * it, and a heartbeat that lands first protects the run.
 */
final class Leases {
    private Leases() {
    }

    /** Refreshes the heartbeat of a RUNNING run; false when the run is no longer RUNNING (or does not exist). */
    static boolean heartbeat(Session s, String runId, Instant now) {
        return s.createMutationQuery("update Run set heartbeatAt = :now where id = :id and status = :running")
                .setParameter("now", now).setParameter("id", runId).setParameter("running", RunStatus.RUNNING)
                .executeUpdate() == 1;
    }

    /** The ids of RUNNING runs whose last heartbeat is before {@code cutoff}: candidates, each to be claimed. */
    static List<String> expiredCandidates(Session s, Instant cutoff) {
        return s.createSelectionQuery("select id from Run where status = :running and heartbeatAt < :cutoff order by startedAt, id",
                        String.class)
                .setParameter("running", RunStatus.RUNNING).setParameter("cutoff", cutoff).getResultList();
    }

    /**
     * Fails run {@code runId} when it is still RUNNING with a heartbeat before {@code cutoff}, and ends its open stage
     * runs consistently; empty when another process got there first or its worker sent a heartbeat meanwhile.
     */
    static Optional<AbandonedRun> failIfExpired(Session s, String runId, Instant cutoff, Instant now, Duration lease,
                                                String actor) {
        // The claim: of two processes that get here for one run, the second waits on the row lock, then matches no row.
        int claimed = s.createMutationQuery("update Run set status = :failed, finishedAt = :now"
                        + " where id = :id and status = :running and heartbeatAt < :cutoff")
                .setParameter("failed", RunStatus.FAILED).setParameter("now", now).setParameter("id", runId)
                .setParameter("running", RunStatus.RUNNING).setParameter("cutoff", cutoff).executeUpdate();
        if (claimed != 1) {
            return Optional.empty();
        }
        Run run = s.find(Run.class, runId);
        String error = message(run.getWorker(), run.getHeartbeatAt());
        run.finish(RunStatus.FAILED, error, now);
        List<StageRun> open = s.createSelectionQuery("from StageRun where run.id = :id and status in (:open) order by position, id",
                        StageRun.class)
                .setParameter("id", runId).setParameter("open", List.of(StageStatus.RUNNING, StageStatus.PENDING))
                .getResultList();
        open.forEach(sr -> sr.abandoned(error, now));
        s.persist(new AuditEvent(UUID.randomUUID().toString(), now, actor, "run.abandoned", "run", runId,
                error + " (noticed by " + Worker.current() + " with a lease of " + lease.toSeconds() + " s; "
                        + open.size() + " open stage run" + (open.size() == 1 ? "" : "s") + " ended)"));
        return Optional.of(new AbandonedRun(runId, run.getPipelineVersion().getPipeline().getName(), run.getWorker(),
                run.getHeartbeatAt(), error));
    }

    static Optional<RunLease> lease(Session s, String runId) {
        return Optional.ofNullable(runId == null ? null : s.find(Run.class, runId))
                .map(r -> new RunLease(r.getId(), r.getStatus(), r.getWorker(), r.getHeartbeatAt()));
    }

    static String message(String worker, Instant lastHeartbeat) {
        String who = worker == null ? "worker (unknown: the run was recorded before worker leases)" : "worker " + worker;
        return "abandoned: " + who + " stopped sending heartbeats at " + lastHeartbeat
                + " (killed or crashed); run the pipeline again to resume from the cache";
    }
}

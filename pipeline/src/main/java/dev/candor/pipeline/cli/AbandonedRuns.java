package dev.candor.pipeline.cli;

import dev.candor.pipeline.exec.EngineSettings;
import dev.candor.registry.AbandonedRun;
import dev.candor.registry.Registry;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Before a command adds or lists runs: fails the runs whose worker was killed or crashed (their heartbeat is older
 * than the lease, {@code CANDOR_LEASE_SECONDS}, default 60), so nothing is shown "running" forever. Runs of live
 * processes, here or on other machines sharing the registry, keep sending heartbeats and are left alone. Cheap: one
 * indexed query when nothing is abandoned.
 */
final class AbandonedRuns {
    private AbandonedRuns() {
    }

    static void sweep(Registry registry, PrintWriter err) {
        Duration lease = EngineSettings.leaseFrom(System.getenv(EngineSettings.LEASE_ENV));
        for (AbandonedRun a : registry.failExpiredRuns(lease)) {
            err.printf("candor: run %s of pipeline '%s' marked FAILED: %s%n", a.runId(), a.pipelineName(), a.error());
        }
        err.flush();
    }
}

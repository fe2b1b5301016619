package dev.candor.pipeline.exec;

import dev.candor.registry.Registry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's lease: refreshes its heartbeat in the registry every interval, from a daemon thread, until closed.
 * A process that is killed stops sending them, and the next process that opens the registry fails the run once its
 * lease has expired; a process that is merely busy keeps sending them, so its run is never failed from outside.
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final ScheduledExecutorService timer;
    private final Registry registry;
    private final String runId;
    private volatile boolean lostLogged;

    private Heartbeat(Registry registry, String runId, Duration interval) {
        this.registry = registry;
        this.runId = runId;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "candor-heartbeat-" + Executor.shortId(runId));
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Starts sending heartbeats for {@code runId} (created just now, so its first heartbeat is its start). */
    static Heartbeat start(Registry registry, String runId, Duration interval) {
        return new Heartbeat(registry, runId, interval);
    }

    private void beat() {
        try {
            if (!registry.heartbeat(runId) && !lostLogged) {
                lostLogged = true;
                // Another process decided this run was abandoned: this process was unreachable or stalled for longer
                // than the lease. Its stages keep going, but their results can no longer be recorded in this run.
                LOG.error("run {} is no longer RUNNING in the registry: another process failed it as abandoned because"
                        + " its heartbeat was late by more than the lease; run the pipeline again once this run ends", runId);
            }
        } catch (RuntimeException e) {
            // A database that is briefly unreachable must not stop the heartbeat: the next beat tries again, and the
            // lease is several intervals long.
            LOG.warn("run {}: heartbeat not recorded ({}); retrying in the next interval", runId, Executor.messageOf(e));
        }
    }

    @Override
    public void close() {
        // shutdown, not shutdownNow: interrupting a thread inside a JDBC call can close an embedded H2's file. A beat
        // that lands after the run ended changes nothing (it only updates a RUNNING run).
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

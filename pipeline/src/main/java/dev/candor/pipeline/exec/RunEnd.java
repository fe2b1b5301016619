package dev.candor.pipeline.exec;

import dev.candor.registry.GateRecord;
import dev.candor.registry.Registry;
import dev.candor.registry.RunEndedException;
import dev.candor.registry.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends one run in the registry whatever happened to it, so that no run this process could end is left RUNNING:
 * <ul>
 *   <li>a write refused with {@link RunEndedException} means another process ended the run (its lease expired while
 *   this one was paused or cut off): nothing more is written, and the run keeps the state that process gave it — a
 *   FAILED run is never turned into SUCCEEDED;</li>
 *   <li>a failed write of the gates' results ends the run FAILED with that cause instead;</li>
 *   <li>when even that cannot be written, the registry is unreachable: {@link RegistryUnavailableException}, with
 *   what happens to the run (its lease expires and the next command marks it FAILED).</li>
 * </ul>
 */
final class RunEnd {
    private static final Logger LOG = LoggerFactory.getLogger(RunEnd.class);

    /** How the run ended, as recorded. */
    record Outcome(RunStatus status, String failure) {
    }

    private final Registry registry;
    private final String runId;
    private final Duration lease;
    private final AtomicReference<RunEndedException> endedElsewhere = new AtomicReference<>();

    RunEnd(Registry registry, String runId, Duration lease) {
        this.registry = registry;
        this.runId = runId;
        this.lease = lease;
    }

    /** Notes a failure seen during the run: a {@link RunEndedException} among its causes means another process ended it. */
    void note(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RunEndedException e) {
                endedElsewhere.compareAndSet(null, e);
                return;
            }
            if (t.getCause() == t) return;
        }
    }

    /** Whether a registry write found the run ended by another process. */
    boolean endedElsewhere() {
        return endedElsewhere.get() != null;
    }

    /** Ends the run FAILED with {@code failure}; empty when another process had ended it already. */
    Optional<Outcome> fail(String failure) {
        try {
            registry.finishRun(runId, RunStatus.FAILED, failure);
            return Optional.of(new Outcome(RunStatus.FAILED, failure));
        } catch (RunEndedException e) {
            note(e);
            return Optional.empty();
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /**
     * Records the gates and ends the run by them (SUCCEEDED or FAILED_GATES, with {@code gateFailure} when some did not
     * pass); when they cannot be recorded, ends it FAILED with the cause. Empty when another process had ended it.
     */
    Optional<Outcome> withGates(List<GateRecord> gates, String gateFailure) {
        try {
            RunStatus status = registry.finishRunWithGates(runId, gates);
            return Optional.of(new Outcome(status, gateFailure));
        } catch (RunEndedException e) {
            note(e);
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.debug("run {}: the gates could not be recorded", runId, e);
            return fail("the results of the gates could not be recorded in the registry: " + cause(e));
        }
    }

    /** What to tell the user when another process ended the run. */
    String endedElsewhereMessage() {
        RunEndedException e = endedElsewhere.get();
        String how = e == null ? "" : " as " + e.status() + e.error().map(m -> " (" + oneLine(m, 300) + ")").orElse("");
        return "run " + runId + " was ended by another process" + how + " while this one was paused or cut off from the"
                + " registry for longer than the lease (" + EngineSettings.LEASE_ENV + "); nothing this process did after"
                + " that is recorded. Run the pipeline again: the stages that finished before come from the cache";
    }

    /** From the shutdown hook: ends the run FAILED if it is still RUNNING; never throws (the JVM is exiting). */
    void interrupted(String reason) {
        try {
            registry.finishRun(runId, RunStatus.FAILED, reason);
        } catch (RuntimeException e) {
            // Already ended (normally, or by another process), or the registry is closed: the lease covers the rest.
            LOG.debug("run {}: not marked interrupted ({})", runId, e.getMessage());
        }
    }

    private RegistryUnavailableException unavailable(RuntimeException e) {
        return new RegistryUnavailableException("the registry could not record the end of run " + runId + ": " + cause(e)
                + " — it shows RUNNING until its lease of " + lease.toSeconds() + " s (" + EngineSettings.LEASE_ENV
                + ") expires, then the next candor command marks it FAILED; check the database, then run the pipeline"
                + " again", e);
    }

    /**
     * Logs a registry write that failed during the run: at DEBUG when another process had ended the run (expected, and
     * said once at the end), else as a warning with its cause.
     */
    static void log(Logger log, String what, Throwable e) {
        if (e instanceof RunEndedException) {
            log.debug("{}: {}", what, e.getMessage());
        } else {
            log.warn("{}: {}", what, cause(e));
        }
    }

    /** The cause of a failed registry write, on one line (database messages can quote SQL over several). */
    static String cause(Throwable e) {
        return oneLine(Executor.messageOf(e), 300);
    }

    private static String oneLine(String text, int max) {
        String line = text == null ? "" : text.strip().lines().findFirst().orElse("");
        return line.length() <= max ? line : line.substring(0, max) + "…";
    }
}

package dev.candor.pipeline.exec;

import java.time.Duration;

/**
 * How the engine runs pipelines, beside what the YAML says.
 *
 * @param engineVersion      part of every fingerprint
 * @param runnerOverride     a Beam runner chosen on the command line, or null to use the YAML's
 * @param deviceOverride     an ONNX Runtime device chosen on the command line, or null to use the YAML's
 * @param maxParallelStages  how many independent stages may run at once
 * @param actor              who runs it (recorded with the run)
 * @param heartbeatInterval  how often a running run's heartbeat is refreshed in the registry
 * @param lease              how old a RUNNING run's heartbeat may be before the run counts as abandoned (its process
 *                           was killed or its machine died) and is failed; longer than the heartbeat interval
 */
public record EngineSettings(String engineVersion, String runnerOverride, String deviceOverride, int maxParallelStages,
                             String actor, Duration heartbeatInterval, Duration lease) {
    /** The default heartbeat interval. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    /** The default lease: six missed heartbeats, so a slow database or a long GC pause does not fail a live run. */
    public static final Duration LEASE = Duration.ofSeconds(60);
    /** The environment variable that sets the lease, in whole seconds. */
    public static final String LEASE_ENV = "CANDOR_LEASE_SECONDS";

    public EngineSettings {
        if (maxParallelStages < 1) throw new IllegalArgumentException("maxParallelStages must be >= 1, got " + maxParallelStages);
        actor = actor == null ? System.getProperty("user.name", "unknown") : actor;
        if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive, got " + heartbeatInterval);
        }
        if (lease == null || lease.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("the lease (" + lease + ") must be longer than the heartbeat interval ("
                    + heartbeatInterval + "), or live runs would be failed as abandoned; set " + LEASE_ENV
                    + " to a few heartbeat intervals");
        }
    }

    /** The defaults, with the lease from {@code CANDOR_LEASE_SECONDS} when it is set. */
    public EngineSettings(String engineVersion, String runnerOverride, String deviceOverride, int maxParallelStages, String actor) {
        this(engineVersion, runnerOverride, deviceOverride, maxParallelStages, actor,
                heartbeatFor(leaseFrom(System.getenv(LEASE_ENV))), leaseFrom(System.getenv(LEASE_ENV)));
    }

    public static EngineSettings defaults() {
        return new EngineSettings(EngineVersion.get(), null, null, 2, null);
    }

    /** A copy with another heartbeat interval and lease (tests use short ones). */
    public EngineSettings withLease(Duration newHeartbeatInterval, Duration newLease) {
        return new EngineSettings(engineVersion, runnerOverride, deviceOverride, maxParallelStages, actor, newHeartbeatInterval, newLease);
    }

    /**
     * The lease {@code CANDOR_LEASE_SECONDS} asks for ({@code value}), or the default when it is unset or blank.
     *
     * @throws IllegalArgumentException naming the variable when it is not a positive whole number of seconds
     */
    public static Duration leaseFrom(String value) {
        if (value == null || value.isBlank()) return LEASE;
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= 1) return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(LEASE_ENV + " is '" + value + "': expected a whole number of seconds >= 1"
                + " (default " + LEASE.toSeconds() + "); unset it or set e.g. " + LEASE_ENV + "=" + LEASE.toSeconds());
    }

    /** The heartbeat for a lease: every 10 s, or a third of a shorter lease, so two heartbeats may go missing. */
    public static Duration heartbeatFor(Duration lease) {
        Duration third = lease.dividedBy(3);
        return third.compareTo(HEARTBEAT_INTERVAL) < 0 ? third : HEARTBEAT_INTERVAL;
    }
}

package dev.candor.registry;

/**
 * The sizes of the registry's bounded text columns, in characters, as the Flyway scripts declare them
 * ({@code db/migration/V*.sql}); the one copy of each that the entities, the registry and the pipeline validator use.
 * {@code RegistryLimitsTest} reads the migrated schema on H2 and PostgreSQL and fails when they drift apart.
 *
 * <p>Two kinds of value meet these limits. A value that identifies something (a pipeline name, a stage id, a gate,
 * a metric name) must be stored whole: {@link #require} refuses one that is too long, naming it, and the pipeline
 * validator checks those that come from the YAML before anything runs. Free text (errors, stack traces, summaries,
 * finding messages, audit details) is cut to fit by {@link #fit}, with a note saying how much was cut, so that a long
 * message can never fail the write that records it.
 */
public final class RegistryLimits {
    /** {@code pipeline.name}: {@code metadata.name} of the YAML. */
    public static final int PIPELINE_NAME = 200;
    /** {@code model_version.name}: {@code <pipeline name>/<stage id>}. */
    public static final int MODEL_NAME = 200;
    /** {@code pipeline_version.yaml_text}: the whole pipeline file. */
    public static final int YAML_TEXT = 1_000_000;
    /** {@code pipeline_version.file_path}: the pipeline file's path. */
    public static final int FILE_PATH = 4000;
    /** {@code stage_run.stage_id}. */
    public static final int STAGE_ID = 200;
    /** {@code stage_run.stage_type}. */
    public static final int STAGE_TYPE = 200;
    /** {@code stage_run.cache_reason}: why a stage ran or came from the cache. */
    public static final int CACHE_REASON = 4000;
    /** {@code gate_result.expression}: one release gate as written. */
    public static final int GATE_EXPRESSION = 4000;
    /** {@code run.runner} and {@code run.device}. */
    public static final int RUNNER = 200;
    /** {@code run.device}. */
    public static final int DEVICE = 200;
    /** {@code run.engine_version}. */
    public static final int ENGINE_VERSION = 100;
    /** Every id column: a UUID string, {@code VARCHAR(36)}. */
    public static final int ID = 36;
    /** {@code run.actor}, {@code audit_event.actor}: who did it. */
    public static final int ACTOR = 200;
    /** {@code run.worker}: {@code host:pid}. */
    public static final int WORKER = 200;
    /** {@code metric.name}. */
    public static final int METRIC_NAME = 200;
    /** {@code metric.split}. */
    public static final int METRIC_SPLIT = 64;
    /** {@code metric.slice}. */
    public static final int METRIC_SLICE = 400;
    /** {@code artifact.kind}. */
    public static final int ARTIFACT_KIND = 32;
    /** {@code artifact.uri}. */
    public static final int ARTIFACT_URI = 4000;
    /** {@code finding.code}. */
    public static final int FINDING_CODE = 200;
    /** {@code finding.subject}. */
    public static final int FINDING_SUBJECT = 4000;
    /** {@code audit_event.action}. */
    public static final int AUDIT_ACTION = 100;
    /** {@code audit_event.entity_type}. */
    public static final int AUDIT_ENTITY_TYPE = 100;
    /** {@code audit_event.entity_id}. */
    public static final int AUDIT_ENTITY_ID = 200;
    /**
     * {@code VARCHAR(1000000)}: YAML texts, JSON, errors, stack traces, summaries, messages. One portable type for H2
     * and PostgreSQL (no CLOB/TEXT).
     */
    public static final int LARGE_TEXT = 1_000_000;

    /** PostgreSQL text cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"). */
    private static final char NUL = '\u0000';
    private static final char REPLACEMENT = '\uFFFD';

    private RegistryLimits() {
    }

    /**
     * Free text made storable in a column of {@code limit} characters: returned as is when it fits, else its start
     * followed by {@code "… [truncated: N more characters]"}, {@code limit} characters in all (a surrogate pair is
     * never split). A U+0000 character, which PostgreSQL refuses, becomes U+FFFD. Null stays null.
     */
    public static String fit(String text, int limit) {
        if (text == null) {
            return null;
        }
        String clean = text.indexOf(NUL) >= 0 ? text.replace(NUL, REPLACEMENT) : text;
        if (clean.length() <= limit) {
            return clean;
        }
        // The note's length depends on the number it states: shrink what is kept until the two fit together.
        int kept = limit;
        while (true) {
            int k = Math.max(0, limit - note(clean.length() - kept).length());
            if (k > 0 && Character.isHighSurrogate(clean.charAt(k - 1))) {
                k--;
            }
            if (k >= kept) {
                break;
            }
            kept = k;
        }
        String note = note(clean.length() - kept);
        if (note.length() > limit) {
            return note.substring(0, limit);
        }
        return clean.substring(0, kept) + note;
    }

    private static String note(int cut) {
        return "… [truncated: " + cut + " more characters]";
    }

    /**
     * A value that must be stored whole, checked against its column: returned as is when it fits, else an
     * IllegalArgumentException naming {@code what}, its length, the limit and the start of the value (never all of
     * it). Null is returned as is (whether it may be null is the column's business).
     */
    public static String require(String value, int limit, String what) {
        if (value != null && value.length() > limit) {
            throw new IllegalArgumentException(what + " '" + preview(value) + "' is " + value.length()
                    + " characters long; the registry stores at most " + limit + ": shorten it");
        }
        return value;
    }

    /** The first 60 characters of a value, for a message about it (a 10 MB value must not be echoed whole). */
    public static String preview(String value) {
        return value.length() <= 60 ? value : value.substring(0, Character.isHighSurrogate(value.charAt(59)) ? 59 : 60) + "…";
    }
}

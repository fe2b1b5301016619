package dev.candor.stages.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A String component naming a data file. The spec binder resolves it against the pipeline file's directory,
 * refuses it outside the configured data roots, and hands the record the absolute path; the planner adds the file's
 * content hash to the stage fingerprint, so changed data reruns the stage.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface DataPath {
}

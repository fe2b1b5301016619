package dev.candor.registry.entity;

import java.util.List;

/** Every entity of the registry, for bootstrapping Hibernate without classpath scanning. */
public final class RegistryEntities {
    /** The annotated classes, in no particular order. */
    public static final List<Class<?>> ALL = List.of(
            Pipeline.class, PipelineVersion.class, Run.class, StageRun.class, Artifact.class,
            Lineage.class, Metric.class, ModelVersion.class, AuditEvent.class, GateResult.class, Finding.class);

    private RegistryEntities() {
    }
}

package dev.candor.pipeline.spec;

import java.util.Objects;

/**
 * The {@code metadata:} block: who the pipeline is for. Only the name is required; the rest shows in the registry,
 * the dashboard and the audit report.
 *
 * @param name        the pipeline's name, grouping its runs in the registry
 * @param domain      the field it serves (healthcare, finance, ...); empty when not written
 * @param owner       the person or team answerable for it; empty when not written
 * @param description one or more sentences; empty when not written
 */
public record Metadata(String name, String domain, String owner, String description) {
    public Metadata {
        Objects.requireNonNull(name, "name");
        domain = domain == null ? "" : domain;
        owner = owner == null ? "" : owner;
        description = description == null ? "" : description;
    }
}

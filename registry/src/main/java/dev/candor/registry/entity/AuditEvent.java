package dev.candor.registry.entity;

import dev.candor.registry.RegistryLimits;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Who did what to which entity, and when. Rows are only ever inserted. */
@Entity
@Table(name = "audit_event")
public class AuditEvent {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @Column(name = "at", nullable = false)
    private Instant at;

    @Column(name = "actor", length = RegistryLimits.ACTOR, nullable = false)
    private String actor;

    @Column(name = "action", length = RegistryLimits.AUDIT_ACTION, nullable = false)
    private String action;

    @Column(name = "entity_type", length = RegistryLimits.AUDIT_ENTITY_TYPE, nullable = false)
    private String entityType;

    @Column(name = "entity_id", length = RegistryLimits.AUDIT_ENTITY_ID, nullable = false)
    private String entityId;

    @Column(name = "details", length = RegistryLimits.LARGE_TEXT, nullable = false)
    private String details;

    protected AuditEvent() {
        // for JPA
    }

    public AuditEvent(String id, Instant at, String actor, String action, String entityType, String entityId, String details) {
        this.id = id;
        this.at = at;
        this.actor = RegistryLimits.require(actor, RegistryLimits.ACTOR, "actor");
        this.action = RegistryLimits.require(action, RegistryLimits.AUDIT_ACTION, "audit action");
        this.entityType = RegistryLimits.require(entityType, RegistryLimits.AUDIT_ENTITY_TYPE, "audit entity type");
        this.entityId = RegistryLimits.require(entityId, RegistryLimits.AUDIT_ENTITY_ID, "audit entity id");
        this.details = RegistryLimits.fit(details, RegistryLimits.LARGE_TEXT);
    }

    public String getId() {
        return id;
    }

    public Instant getAt() {
        return at;
    }

    public String getActor() {
        return actor;
    }

    public String getAction() {
        return action;
    }

    public String getEntityType() {
        return entityType;
    }

    public String getEntityId() {
        return entityId;
    }

    public String getDetails() {
        return details;
    }
}

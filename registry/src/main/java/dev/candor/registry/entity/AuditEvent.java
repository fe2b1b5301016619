package dev.candor.registry.entity;

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

    @Column(name = "actor", length = 200, nullable = false)
    private String actor;

    @Column(name = "action", length = 100, nullable = false)
    private String action;

    @Column(name = "entity_type", length = 100, nullable = false)
    private String entityType;

    @Column(name = "entity_id", length = 200, nullable = false)
    private String entityId;

    @Column(name = "details", length = Columns.LARGE_TEXT, nullable = false)
    private String details;

    protected AuditEvent() {
        // for JPA
    }

    public AuditEvent(String id, Instant at, String actor, String action, String entityType, String entityId, String details) {
        this.id = id;
        this.at = at;
        this.actor = actor;
        this.action = action;
        this.entityType = entityType;
        this.entityId = entityId;
        this.details = details;
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

package dev.candor.registry.entity;

import dev.candor.registry.RegistryLimits;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * Something a stage reported that a reviewer must see and that is not a number (a column that looks like an
 * identifier, a group too small to judge). Severity is {@code INFO} or {@code WARNING}.
 */
@Entity
@Table(name = "finding")
public class Finding {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "run_id", nullable = false)
    private Run run;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "stage_run_id", nullable = false)
    private StageRun stageRun;

    @Column(name = "position", nullable = false)
    private int position;

    @Column(name = "severity", length = 16, nullable = false)
    private String severity;

    @Column(name = "code", length = RegistryLimits.FINDING_CODE, nullable = false)
    private String code;

    @Column(name = "subject", length = RegistryLimits.FINDING_SUBJECT)
    private String subject;

    @Column(name = "message", length = RegistryLimits.LARGE_TEXT, nullable = false)
    private String message;

    protected Finding() {
        // for JPA
    }

    public Finding(String id, Run run, StageRun stageRun, int position, String severity, String code, String subject,
                   String message) {
        this.id = id;
        this.run = run;
        this.stageRun = stageRun;
        this.position = position;
        this.severity = severity;
        this.code = RegistryLimits.require(code, RegistryLimits.FINDING_CODE, "finding code");
        this.subject = RegistryLimits.fit(subject, RegistryLimits.FINDING_SUBJECT);
        this.message = RegistryLimits.fit(message, RegistryLimits.LARGE_TEXT);
    }

    public String getId() {
        return id;
    }

    public Run getRun() {
        return run;
    }

    public StageRun getStageRun() {
        return stageRun;
    }

    public int getPosition() {
        return position;
    }

    public String getSeverity() {
        return severity;
    }

    public String getCode() {
        return code;
    }

    public String getSubject() {
        return subject;
    }

    public String getMessage() {
        return message;
    }
}

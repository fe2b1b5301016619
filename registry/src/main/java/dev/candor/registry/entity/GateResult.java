package dev.candor.registry.entity;

import dev.candor.registry.RegistryLimits;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** How one release gate of a run came out: the expression, whether it passed, the values it was decided on. */
@Entity
@Table(name = "gate_result")
public class GateResult {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "run_id", nullable = false)
    private Run run;

    @Column(name = "position", nullable = false)
    private int position;

    @Column(name = "expression", length = RegistryLimits.GATE_EXPRESSION, nullable = false)
    private String expression;

    @Column(name = "passed", nullable = false)
    private boolean passed;

    /** JSON object: each result the gate names → its value, or null when it was not recorded. */
    @Column(name = "values_json", length = RegistryLimits.LARGE_TEXT, nullable = false)
    private String valuesJson;

    @Column(name = "detail", length = RegistryLimits.LARGE_TEXT, nullable = false)
    private String detail;

    @Column(name = "evaluated_at", nullable = false)
    private Instant evaluatedAt;

    protected GateResult() {
        // for JPA
    }

    public GateResult(String id, Run run, int position, String expression, boolean passed, String valuesJson,
                      String detail, Instant evaluatedAt) {
        this.id = id;
        this.run = run;
        this.position = position;
        this.expression = RegistryLimits.require(expression, RegistryLimits.GATE_EXPRESSION, "gate");
        this.passed = passed;
        this.valuesJson = RegistryLimits.require(valuesJson, RegistryLimits.LARGE_TEXT, "the values of a gate as JSON,");
        this.detail = RegistryLimits.fit(detail, RegistryLimits.LARGE_TEXT);
        this.evaluatedAt = evaluatedAt;
    }

    public String getId() {
        return id;
    }

    public Run getRun() {
        return run;
    }

    public int getPosition() {
        return position;
    }

    public String getExpression() {
        return expression;
    }

    public boolean isPassed() {
        return passed;
    }

    public String getValuesJson() {
        return valuesJson;
    }

    public String getDetail() {
        return detail;
    }

    public Instant getEvaluatedAt() {
        return evaluatedAt;
    }
}

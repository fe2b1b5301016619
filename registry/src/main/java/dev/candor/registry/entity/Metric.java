package dev.candor.registry.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * One number a stage reported, such as {@code roc_auc} on split {@code test}, optionally for one slice.
 * The column is {@code metric_value} because VALUE is a reserved word in H2.
 */
@Entity
@Table(name = "metric")
public class Metric {
    @Id
    @Column(name = "id", length = 36, nullable = false)
    private String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "run_id", nullable = false)
    private Run run;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "stage_run_id", nullable = false)
    private StageRun stageRun;

    @Column(name = "name", length = 200, nullable = false)
    private String name;

    @Column(name = "metric_value", nullable = false)
    private double value;

    @Column(name = "split", length = 64)
    private String split;

    @Column(name = "slice", length = 400)
    private String slice;

    protected Metric() {
        // for JPA
    }

    public Metric(String id, Run run, StageRun stageRun, String name, double value, String split, String slice) {
        this.id = id;
        this.run = run;
        this.stageRun = stageRun;
        this.name = name;
        this.value = value;
        this.split = split;
        this.slice = slice;
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

    public String getName() {
        return name;
    }

    public double getValue() {
        return value;
    }

    public String getSplit() {
        return split;
    }

    public String getSlice() {
        return slice;
    }
}

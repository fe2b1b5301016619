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

    @Column(name = "name", length = RegistryLimits.METRIC_NAME, nullable = false)
    private String name;

    @Column(name = "metric_value", nullable = false)
    private double value;

    @Column(name = "split", length = RegistryLimits.METRIC_SPLIT)
    private String split;

    @Column(name = "slice", length = RegistryLimits.METRIC_SLICE)
    private String slice;

    protected Metric() {
        // for JPA
    }

    public Metric(String id, Run run, StageRun stageRun, String name, double value, String split, String slice) {
        this.id = id;
        this.run = run;
        this.stageRun = stageRun;
        this.name = RegistryLimits.require(name, RegistryLimits.METRIC_NAME, "metric name");
        this.value = value;
        this.split = RegistryLimits.require(split, RegistryLimits.METRIC_SPLIT, "the split of metric '" + RegistryLimits.preview(name) + "'");
        this.slice = RegistryLimits.require(slice, RegistryLimits.METRIC_SLICE, "the slice of metric '" + RegistryLimits.preview(name) + "'");
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

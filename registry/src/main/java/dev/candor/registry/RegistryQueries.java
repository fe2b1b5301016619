package dev.candor.registry;

import dev.candor.registry.entity.Finding;
import dev.candor.registry.entity.GateResult;
import dev.candor.registry.entity.Lineage;
import dev.candor.registry.entity.Metric;
import dev.candor.registry.entity.ModelVersion;
import dev.candor.registry.entity.Run;
import dev.candor.registry.entity.StageRun;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The read side of the registry, over any {@link EntityManager}: the engine's (through {@link Registry}) or the
 * dashboard's injected one. Returns records, never entities. The caller owns the transaction.
 */
public final class RegistryQueries {
    /** The headline metrics of {@link RunSummary#keyMetrics()}, in display order. */
    public static final List<String> KEY_METRICS = List.of("accuracy", "balanced_accuracy", "roc_auc", "f1_macro", "log_loss");
    /** The split the headline metrics are read from. */
    public static final String KEY_SPLIT = "test";

    /** Run ids are UUID strings: anything else cannot be a prefix of one (and would need escaping in LIKE). */
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f-]{1,36}");
    private static final int AMBIGUOUS_SHOWN = 10;

    private final EntityManager em;

    public RegistryQueries(EntityManager em) {
        this.em = Require.present(em, "RegistryQueries: EntityManager");
    }

    /** The newest runs first, at most {@code limit} (1 or more). */
    public List<RunSummary> listRuns(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("listRuns: limit is " + limit + "; expected 1 or more");
        }
        List<Run> runs = em.createQuery("select r from Run r join fetch r.pipelineVersion v join fetch v.pipeline"
                        + " order by r.startedAt desc, r.id desc", Run.class)
                .setMaxResults(limit).getResultList();
        return summaries(runs);
    }

    /**
     * A run by its id, or by a prefix of its id that only it has (as {@code git} does with commits). Empty when
     * nothing matches; a prefix shared by several runs is an {@link IllegalArgumentException} that names them.
     */
    public Optional<RunDetail> getRun(String idOrUniquePrefix) {
        String key = Require.text(idOrUniquePrefix, "run id").trim().toLowerCase(Locale.ROOT);
        if (!ID_PREFIX.matcher(key).matches()) {
            return Optional.empty();
        }
        List<Run> matches = em.createQuery("select r from Run r join fetch r.pipelineVersion v join fetch v.pipeline"
                        + " where r.id = :id", Run.class).setParameter("id", key).getResultList();
        if (matches.isEmpty()) {
            matches = em.createQuery("select r from Run r join fetch r.pipelineVersion v join fetch v.pipeline"
                            + " where r.id like :prefix order by r.startedAt desc, r.id", Run.class)
                    .setParameter("prefix", key + "%").setMaxResults(AMBIGUOUS_SHOWN + 1).getResultList();
        }
        if (matches.size() > 1) {
            String shown = matches.stream().limit(AMBIGUOUS_SHOWN)
                    .map(r -> r.getId() + " (" + r.getPipelineVersion().getPipeline().getName() + ", " + r.getStartedAt() + ")")
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException("run id prefix '" + key + "' matches "
                    + (matches.size() > AMBIGUOUS_SHOWN ? "more than " + AMBIGUOUS_SHOWN : matches.size()) + " runs: "
                    + shown + "; give more characters of the id");
        }
        return matches.stream().findFirst().map(this::detail);
    }

    /**
     * The run of the same pipeline that started last before {@code runId} (any pipeline version); with
     * {@code approvedOnly}, the last such run with an approved model version: what a reviewer compares a new run with.
     * Empty when there is none, or when {@code runId} is not a run.
     */
    public Optional<RunSummary> previousRun(String runId, boolean approvedOnly) {
        String id = Require.text(runId, "run id");
        List<Run> self = em.createQuery("select r from Run r join fetch r.pipelineVersion v join fetch v.pipeline"
                + " where r.id = :id", Run.class).setParameter("id", id).getResultList();
        if (self.isEmpty()) {
            return Optional.empty();
        }
        Run run = self.get(0);
        var query = em.createQuery("select r from Run r join fetch r.pipelineVersion v join fetch v.pipeline p"
                        + " where p = :pipeline and r.id <> :id"
                        + " and (r.startedAt < :t or (r.startedAt = :t and r.id < :id))"
                        + (approvedOnly ? " and exists (select mv.id from ModelVersion mv where mv.run = r and mv.status = :approved)" : "")
                        + " order by r.startedAt desc, r.id desc", Run.class)
                .setParameter("pipeline", run.getPipelineVersion().getPipeline()).setParameter("id", id)
                .setParameter("t", run.getStartedAt());
        if (approvedOnly) {
            query.setParameter("approved", ModelStatus.APPROVED);
        }
        return summaries(query.setMaxResults(1).getResultList()).stream().findFirst();
    }

    /**
     * The stage-to-stage lineage of a run: one {@link StageLink} per artifact a stage read that another stage of the
     * same run wrote, in the reading stage's plan order. Inputs from outside the run (none today) are left out.
     */
    public List<StageLink> stageLinks(String runId) {
        String id = Require.text(runId, "run id");
        List<Lineage> edges = em.createQuery("select l from Lineage l join fetch l.stageRun sr join fetch l.artifact"
                        + " where sr.run.id = :id order by sr.position, sr.id, l.direction, l.id", Lineage.class)
                .setParameter("id", id).getResultList();
        Map<String, String> producers = new HashMap<>();
        for (Lineage l : edges) {
            if (l.getDirection() == LineageDirection.OUT) producers.put(l.getArtifact().getId(), l.getStageRun().getStageId());
        }
        List<StageLink> links = new ArrayList<>();
        for (Lineage l : edges) {
            if (l.getDirection() != LineageDirection.IN) continue;
            String producer = producers.get(l.getArtifact().getId());
            if (producer != null && !producer.equals(l.getStageRun().getStageId())) {
                links.add(new StageLink(l.getStageRun().getStageId(), producer, l.getArtifact().getKind()));
            }
        }
        return List.copyOf(links);
    }

    private RunDetail detail(Run run) {
        RunSummary summary = summaries(List.of(run)).get(0);
        List<StageRun> stageRuns = em.createQuery("select sr from StageRun sr where sr.run.id = :id"
                + " order by sr.position, sr.startedAt, sr.id", StageRun.class).setParameter("id", run.getId()).getResultList();
        Map<String, ArtifactView> outputs = new HashMap<>();
        em.createQuery("select l from Lineage l join fetch l.artifact where l.stageRun.run.id = :id and l.direction = :out",
                        Lineage.class)
                .setParameter("id", run.getId()).setParameter("out", LineageDirection.OUT).getResultList()
                .forEach(l -> outputs.put(l.getStageRun().getId(), new ArtifactView(l.getArtifact().getId(),
                        l.getArtifact().getKind(), l.getArtifact().getUri(), l.getArtifact().getSha256(),
                        l.getArtifact().getSizeBytes())));
        List<StageRunView> stages = stageRuns.stream().map(sr -> new StageRunView(sr.getId(), sr.getStageId(),
                sr.getStageType(), sr.getPosition(), sr.getStatus().name(), sr.getStartedAt(), sr.getDurationMs(),
                sr.isCacheHit(), sr.getCacheReason(), sr.getReusedFrom(), sr.getFingerprint(), sr.getSummary(),
                sr.getError(), outputs.get(sr.getId()))).toList();
        List<MetricView> metrics = em.createQuery("select m from Metric m join fetch m.stageRun sr where m.run.id = :id"
                        + " order by sr.position, m.name, m.split nulls first, m.slice nulls first, m.id", Metric.class)
                .setParameter("id", run.getId()).getResultList().stream()
                .map(m -> new MetricView(m.getStageRun().getStageId(), m.getName(), m.getValue(), m.getSplit(), m.getSlice()))
                .toList();
        var version = run.getPipelineVersion();
        return new RunDetail(summary, run.getSeed(), run.getRunner(), run.getDevice(), run.getEngineVersion(),
                version.getFilePath(), version.getYamlSha256(), run.getError(), stages, metrics, gates(run.getId()),
                findings(run.getId()));
    }

    /** The release gates of a run, in pipeline order; empty when it had none or they were not checked. */
    public List<GateResultView> gates(String runId) {
        return em.createQuery("select g from GateResult g where g.run.id = :id order by g.position", GateResult.class)
                .setParameter("id", Require.text(runId, "run id")).getResultList().stream()
                .map(g -> new GateResultView(g.getPosition(), g.getExpression(), g.isPassed(),
                        Json.readValues(g.getValuesJson(), "gate_result " + g.getId() + " values_json"), g.getDetail(),
                        g.getEvaluatedAt()))
                .toList();
    }

    /**
     * The findings of a run's stages (a cached stage carries a copy of those of the stage run it reused): warnings
     * first, then in stage order and the order each stage reported them.
     */
    public List<FindingView> findings(String runId) {
        return em.createQuery("select f from Finding f join fetch f.stageRun sr where f.run.id = :id"
                        + " order by case when f.severity = 'WARNING' then 0 else 1 end, sr.position, f.position, f.id",
                        Finding.class)
                .setParameter("id", Require.text(runId, "run id")).getResultList().stream()
                .map(f -> new FindingView(f.getStageRun().getStageId(), f.getStageRun().getId(), f.getSeverity(),
                        f.getCode(), f.getSubject(), f.getMessage()))
                .toList();
    }

    /**
     * The gates of several runs at once (for a run list): run id → its gates in pipeline order; a run without
     * recorded gates is absent.
     */
    public Map<String, List<GateResultView>> gatesOfRuns(List<String> runIds) {
        if (Require.present(runIds, "gatesOfRuns: run ids").isEmpty()) {
            return Map.of();
        }
        Map<String, List<GateResultView>> out = new LinkedHashMap<>();
        em.createQuery("select g from GateResult g where g.run.id in :ids order by g.run.id, g.position", GateResult.class)
                .setParameter("ids", runIds).getResultList()
                .forEach(g -> out.computeIfAbsent(g.getRun().getId(), k -> new ArrayList<>()).add(new GateResultView(
                        g.getPosition(), g.getExpression(), g.isPassed(),
                        Json.readValues(g.getValuesJson(), "gate_result " + g.getId() + " values_json"), g.getDetail(),
                        g.getEvaluatedAt())));
        Map<String, List<GateResultView>> copy = new LinkedHashMap<>();
        out.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** The model versions a run registered, in the plan order of the stages that trained them. */
    public List<ModelVersionView> modelVersions(String runId) {
        return em.createQuery("select mv from ModelVersion mv join fetch mv.stageRun sr join fetch mv.artifact"
                        + " where mv.run.id = :id order by sr.position, mv.name, mv.version", ModelVersion.class)
                .setParameter("id", Require.text(runId, "run id")).getResultList().stream()
                .map(RegistryQueries::view).toList();
    }

    /** A model version by its id; empty when there is none. */
    public Optional<ModelVersionView> modelVersion(String modelVersionId) {
        return em.createQuery("select mv from ModelVersion mv join fetch mv.stageRun join fetch mv.artifact"
                        + " where mv.id = :id", ModelVersion.class)
                .setParameter("id", Require.text(modelVersionId, "model version id")).getResultList().stream()
                .findFirst().map(RegistryQueries::view);
    }

    private static ModelVersionView view(ModelVersion mv) {
        return new ModelVersionView(mv.getId(), mv.getName(), mv.getVersion(), mv.getRun().getId(),
                mv.getStageRun().getStageId(), mv.getArtifact().getSha256(), mv.getStatus().name(), mv.getCreatedAt());
    }

    private List<RunSummary> summaries(List<Run> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        List<String> ids = runs.stream().map(Run::getId).toList();
        Map<String, int[]> counts = new HashMap<>();
        for (Tuple t : em.createQuery("select sr.run.id as runId, count(sr) as stages,"
                        + " sum(case when sr.cacheHit = true then 1 else 0 end) as cached"
                        + " from StageRun sr where sr.run.id in :ids group by sr.run.id", Tuple.class)
                .setParameter("ids", ids).getResultList()) {
            counts.put(t.get("runId", String.class),
                    new int[] {t.get("stages", Number.class).intValue(), t.get("cached", Number.class).intValue()});
        }
        // A run may evaluate several models: the headline is the first evaluating stage in plan order (the one the
        // pipeline lists first), named in the summary, never a mix of stages.
        Map<String, String> keyStage = new HashMap<>();
        Map<String, Map<String, Double>> keyMetrics = new HashMap<>();
        for (Tuple t : em.createQuery("select m.run.id as runId, m.stageRun.stageId as stageId, m.name as name,"
                        + " m.value as value from Metric m"
                        + " where m.run.id in :ids and m.split = :split and m.slice is null and m.name in :names"
                        + " order by m.stageRun.position, m.id", Tuple.class)
                .setParameter("ids", ids).setParameter("split", KEY_SPLIT).setParameter("names", KEY_METRICS)
                .getResultList()) {
            String runId = t.get("runId", String.class);
            String stageId = keyStage.computeIfAbsent(runId, k -> t.get("stageId", String.class));
            if (!stageId.equals(t.get("stageId", String.class))) continue;
            keyMetrics.computeIfAbsent(runId, k -> new HashMap<>()).put(t.get("name", String.class), t.get("value", Double.class));
        }
        List<RunSummary> out = new ArrayList<>(runs.size());
        for (Run r : runs) {
            int[] c = counts.getOrDefault(r.getId(), new int[2]);
            Map<String, Double> found = keyMetrics.getOrDefault(r.getId(), Map.of());
            Map<String, Double> ordered = new LinkedHashMap<>();
            KEY_METRICS.stream().filter(found::containsKey).forEach(name -> ordered.put(name, found.get(name)));
            out.add(new RunSummary(r.getId(), r.getPipelineVersion().getPipeline().getName(), r.getStatus().name(),
                    r.getStartedAt(), r.getFinishedAt(), durationMs(r.getStartedAt(), r.getFinishedAt()), c[0], c[1],
                    keyStage.get(r.getId()), ordered));
        }
        return out;
    }

    private static Long durationMs(Instant start, Instant end) {
        return end == null ? null : Duration.between(start, end).toMillis();
    }
}

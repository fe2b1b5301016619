package dev.candor.dashboard;

import dev.candor.registry.MetricView;
import dev.candor.registry.RunDetail;
import dev.candor.registry.StageRunView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The privacy evidence of a run: membership-inference audits ({@code audit.membership}: {@code membership_advantage},
 * the worst over its attacks, {@code membership_auc}, {@code membership_tpr_at_1pct_fpr}, and per attack
 * {@code membership.<attack>.<auc|advantage|tpr_at_1pct_fpr>}), differentially private training
 * ({@code privacy.epsilon}, {@code privacy.delta}, ...) and k-anonymity ({@code privacy.k_anonymity}).
 *
 * @param audits       one per stage that recorded {@code membership_advantage}
 * @param dp           one per stage that recorded {@code privacy.epsilon}
 * @param kAnonymity   one per stage that recorded {@code privacy.k_anonymity}
 */
public record PrivacyView(List<Audit> audits, List<Dp> dp, List<KAnonymity> kAnonymity) {
    /** The per-attack measures, in column order. */
    public static final List<String> ATTACK_MEASURES = List.of("auc", "advantage", "tpr_at_1pct_fpr");

    public PrivacyView {
        audits = List.copyOf(audits);
        dp = List.copyOf(dp);
        kAnonymity = List.copyOf(kAnonymity);
    }

    /** Whether there is anything to show. */
    public boolean isEmpty() {
        return audits.isEmpty() && dp.isEmpty() && kAnonymity.isEmpty();
    }

    /** One membership-inference audit of a model. */
    public record Audit(String stageId, String model, double advantageValue, String advantage, String auc, String tprAt1pctFpr,
                        String members, String nonMembers, List<Attack> attacks) {
        public Audit {
            attacks = List.copyOf(attacks);
        }
    }

    /** One attack's measures, formatted, in {@link #ATTACK_MEASURES} order. */
    public record Attack(String name, List<String> values) {
        public Attack {
            values = List.copyOf(values);
        }
    }

    /** The differential-privacy accounting of one training stage (blank where not recorded). */
    public record Dp(String stageId, double epsilonValue, String epsilon, String delta, String noiseMultiplier, String clip,
                     String samplingRate, String steps) { }

    /** The k of a k-anonymous release: every combination of quasi-identifiers is shared by at least k rows. */
    public record KAnonymity(String stageId, String k) { }

    static PrivacyView of(RunDetail run, RunMetrics metrics, Map<String, String> modelOf) {
        List<Audit> audits = new ArrayList<>();
        List<Dp> dp = new ArrayList<>();
        List<KAnonymity> k = new ArrayList<>();
        for (StageRunView stage : run.stages()) {
            String id = stage.stageId();
            if (metrics.whole(id, "membership_advantage").isPresent()) {
                Map<String, String[]> attacks = new LinkedHashMap<>();
                for (MetricView m : metrics.of(id)) {
                    if (!m.name().startsWith("membership.") || m.slice() != null) continue;
                    String rest = m.name().substring("membership.".length());
                    int dot = rest.lastIndexOf('.');
                    if (dot <= 0 || !ATTACK_MEASURES.contains(rest.substring(dot + 1))) continue;
                    attacks.computeIfAbsent(rest.substring(0, dot), a -> new String[] {"", "", ""})
                            [ATTACK_MEASURES.indexOf(rest.substring(dot + 1))] = RunPage.format(m.value());
                }
                audits.add(new Audit(id, modelOf.getOrDefault(id, ""), metrics.wholeOrNaN(id, "membership_advantage"),
                        withInterval(metrics, id, "membership_advantage"), withInterval(metrics, id, "membership_auc"),
                        withInterval(metrics, id, "membership_tpr_at_1pct_fpr"), count(metrics, id, "membership.members"),
                        count(metrics, id, "membership.non_members"),
                        attacks.entrySet().stream().map(e -> new Attack(e.getKey(), List.of(e.getValue()))).toList()));
            }
            if (metrics.whole(id, "privacy.epsilon").isPresent()) {
                dp.add(new Dp(id, metrics.wholeOrNaN(id, "privacy.epsilon"), text(metrics, id, "privacy.epsilon"),
                        metrics.whole(id, "privacy.delta").isPresent()
                                ? String.format(java.util.Locale.ROOT, "%.3g", metrics.wholeOrNaN(id, "privacy.delta")) : "",
                        text(metrics, id, "privacy.noise_multiplier"), text(metrics, id, "privacy.clip"),
                        text(metrics, id, "privacy.sampling_rate"), count(metrics, id, "privacy.steps")));
            }
            if (metrics.whole(id, "privacy.k_anonymity").isPresent()) {
                k.add(new KAnonymity(id, count(metrics, id, "privacy.k_anonymity")));
            }
        }
        return new PrivacyView(audits, dp, k);
    }

    private static String text(RunMetrics metrics, String stageId, String name) {
        return metrics.whole(stageId, name).isPresent() ? RunPage.format(metrics.wholeOrNaN(stageId, name)) : "";
    }

    /** The value and, when the stage recorded one, its bootstrap interval. */
    private static String withInterval(RunMetrics metrics, String stageId, String name) {
        return (text(metrics, stageId, name) + " " + RunMetrics.interval(metrics.wholeOrNaN(stageId, name + "_ci_low"),
                metrics.wholeOrNaN(stageId, name + "_ci_high"))).trim();
    }

    private static String count(RunMetrics metrics, String stageId, String name) {
        return metrics.whole(stageId, name).isPresent() ? Long.toString(Math.round(metrics.wholeOrNaN(stageId, name))) : "";
    }
}

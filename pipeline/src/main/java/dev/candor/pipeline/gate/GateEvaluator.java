package dev.candor.pipeline.gate;

import dev.candor.pipeline.gate.GateExpression.And;
import dev.candor.pipeline.gate.GateExpression.Comparison;
import dev.candor.pipeline.gate.GateExpression.Not;
import dev.candor.pipeline.gate.GateExpression.Num;
import dev.candor.pipeline.gate.GateExpression.Operand;
import dev.candor.pipeline.gate.GateExpression.Or;
import dev.candor.pipeline.gate.GateExpression.Ref;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides gates against a run's recorded results. A gate naming a result the run did not record (or recorded as
 * NaN) fails, whatever {@code or} and {@code not} around it say: a missing number is never evidence that a model is
 * good enough.
 */
public final class GateEvaluator {
    private GateEvaluator() {
    }

    /** Decides {@code gate} (written as {@code expression}) against {@code results}. */
    public static GateOutcome evaluate(String expression, GateExpression gate, RecordedResults results) {
        Map<String, Double> values = new LinkedHashMap<>();
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        for (Ref r : gate.refs()) {
            Optional<Double> v = results.value(r.stageId(), r.name());
            values.put(r.text(), v.orElse(null));
            if (v.isEmpty()) missing.add(results.whyMissing(r.stageId(), r.name()));
        }
        if (!missing.isEmpty()) {
            return new GateOutcome(expression, false, values, String.join("; ", missing));
        }
        List<String> comparisons = new ArrayList<>();
        boolean passed = holds(gate, values, comparisons);
        return new GateOutcome(expression, passed, values, String.join("; ", comparisons));
    }

    private static boolean holds(GateExpression e, Map<String, Double> values, List<String> shown) {
        if (e instanceof And a) {
            boolean all = true;
            for (GateExpression t : a.terms()) all &= holds(t, values, shown);
            return all;
        }
        if (e instanceof Or o) {
            boolean any = false;
            for (GateExpression t : o.terms()) any |= holds(t, values, shown);
            return any;
        }
        if (e instanceof Not n) {
            return !holds(n.operand(), values, shown);
        }
        Comparison c = (Comparison) e;
        double left = value(c.left(), values);
        double right = value(c.right(), values);
        boolean ok = c.op().test(left, right);
        shown.add(side(c.left(), left) + " " + c.op().symbol() + " " + side(c.right(), right) + (ok ? " holds" : " does not hold"));
        return ok;
    }

    private static double value(Operand o, Map<String, Double> values) {
        return o instanceof Num n ? n.value() : values.get(o.text());
    }

    private static String side(Operand o, double v) {
        return o instanceof Num ? o.text() : o.text() + " = " + format(v);
    }

    /** Five significant digits, without trailing zeros: 0.991234 → 0.99123, 455 → 455. */
    public static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return new BigDecimal(v).round(new MathContext(5)).stripTrailingZeros().toPlainString();
    }
}

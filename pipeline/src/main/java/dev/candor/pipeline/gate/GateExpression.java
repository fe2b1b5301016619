package dev.candor.pipeline.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed release gate: comparisons between recorded results and numbers, combined with {@code and}, {@code or}
 * and {@code not}. Every node keeps the offset (0-based, in characters) of its text in the gate string, so errors
 * about it can point at the column in the pipeline file.
 */
public sealed interface GateExpression {

    /** Every result the expression names, in the order written (repeats included). */
    default List<Ref> refs() {
        List<Ref> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(GateExpression e, List<Ref> out) {
        if (e instanceof And a) {
            a.terms().forEach(t -> collect(t, out));
        } else if (e instanceof Or o) {
            o.terms().forEach(t -> collect(t, out));
        } else if (e instanceof Not n) {
            collect(n.operand(), out);
        } else if (e instanceof Comparison c) {
            if (c.left() instanceof Ref r) out.add(r);
            if (c.right() instanceof Ref r) out.add(r);
        }
    }

    /** All of {@code terms} hold. */
    record And(List<GateExpression> terms) implements GateExpression {
        public And {
            terms = List.copyOf(terms);
        }
    }

    /** At least one of {@code terms} holds. */
    record Or(List<GateExpression> terms) implements GateExpression {
        public Or {
            terms = List.copyOf(terms);
        }
    }

    /** {@code operand} does not hold. */
    record Not(GateExpression operand) implements GateExpression { }

    /** {@code left op right}; at least one side is a {@link Ref}. */
    record Comparison(Operand left, Op op, Operand right) implements GateExpression { }

    /** One side of a comparison. */
    sealed interface Operand {
        /** Where it starts in the gate string, from 0. */
        int offset();

        /** As written. */
        String text();
    }

    /**
     * A recorded result, {@code <stage id>.<result name>}; the name may itself be dotted
     * ({@code eval.fairness.sex.disparate_impact}).
     */
    record Ref(String text, int offset) implements Operand {
        /** The part before the first dot. */
        public String stageId() {
            int dot = text.indexOf('.');
            return dot < 0 ? text : text.substring(0, dot);
        }

        /** The part after the first dot; empty when the ref has no dot. */
        public String name() {
            int dot = text.indexOf('.');
            return dot < 0 ? "" : text.substring(dot + 1);
        }

        /** Where {@link #name()} starts in the gate string. */
        public int nameOffset() {
            return offset + stageId().length() + 1;
        }
    }

    /** A number as written. */
    record Num(double value, String text, int offset) implements Operand { }

    /** A comparison operator. */
    enum Op {
        GE(">="), GT(">"), LE("<="), LT("<"), EQ("=="), NE("!=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean test(double a, double b) {
            return switch (this) {
                case GE -> a >= b;
                case GT -> a > b;
                case LE -> a <= b;
                case LT -> a < b;
                case EQ -> a == b;
                case NE -> a != b;
            };
        }

        static Op of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) return op;
            }
            throw new IllegalArgumentException("no comparison '" + symbol + "'");
        }

        @Override
        public String toString() {
            return symbol.toLowerCase(Locale.ROOT);
        }
    }
}

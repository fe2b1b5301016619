package dev.candor.pipeline.gate;

import dev.candor.pipeline.gate.GateExpression.And;
import dev.candor.pipeline.gate.GateExpression.Comparison;
import dev.candor.pipeline.gate.GateExpression.Not;
import dev.candor.pipeline.gate.GateExpression.Num;
import dev.candor.pipeline.gate.GateExpression.Op;
import dev.candor.pipeline.gate.GateExpression.Operand;
import dev.candor.pipeline.gate.GateExpression.Or;
import dev.candor.pipeline.gate.GateExpression.Ref;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a release gate by recursive descent. The grammar, loosest binding first:
 *
 * <pre>
 * gate       := or END
 * or         := and ('or' and)*
 * and        := not ('and' not)*
 * not        := 'not' not | '(' or ')' | comparison
 * comparison := operand ('&gt;=' | '&gt;' | '&lt;=' | '&lt;' | '==' | '!=') operand     (not two numbers)
 * operand    := ref | number
 * ref        := segment ('.' segment)*       e.g. eval.fairness.sex.disparate_impact
 * </pre>
 *
 * Pure: whether the names exist is checked by the loader against the pipeline's stages.
 */
public final class GateParser {
    private static final String EXAMPLE = "such as eval.roc_auc >= 0.9";
    private static final String OPS = ">=, >, <=, <, == or !=";
    /**
     * How deep parentheses and {@code not} may nest. The parser recurses once per level, so without a bound a gate of
     * thousands of '(' overflows the stack; a real gate needs two or three levels.
     */
    public static final int MAX_DEPTH = 32;

    private enum Kind { REF, NUMBER, OP, AND, OR, NOT, OPEN, CLOSE, END }

    private record Token(Kind kind, String text, int offset) {
        String described() {
            return kind == Kind.END ? "the end of the gate" : "'" + text + "'";
        }
    }

    private final String text;
    private final List<Token> tokens;
    private int next;
    private int depth;

    private GateParser(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /** Parses {@code gate}; the exception names the offset of the offending token. */
    public static GateExpression parse(String gate) throws GateSyntaxException {
        GateParser p = new GateParser(gate, tokenize(gate));
        if (p.peek().kind() == Kind.END) {
            throw new GateSyntaxException(0, "the gate is empty", "write a condition, " + EXAMPLE);
        }
        GateExpression e = p.or();
        Token t = p.peek();
        if (t.kind() != Kind.END) {
            throw new GateSyntaxException(t.offset(), "unexpected " + t.described() + " after a complete condition",
                    t.kind() == Kind.CLOSE ? "remove it: no '(' is open here"
                            : "join conditions with 'and' or 'or', such as eval.roc_auc >= 0.9 and eval.brier <= 0.1");
        }
        return e;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        return tokens.get(next++);
    }

    private GateExpression or() throws GateSyntaxException {
        List<GateExpression> terms = new ArrayList<>(List.of(and()));
        while (peek().kind() == Kind.OR) {
            take();
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new Or(terms);
    }

    private GateExpression and() throws GateSyntaxException {
        List<GateExpression> terms = new ArrayList<>(List.of(not()));
        while (peek().kind() == Kind.AND) {
            take();
            terms.add(not());
        }
        return terms.size() == 1 ? terms.get(0) : new And(terms);
    }

    private GateExpression not() throws GateSyntaxException {
        Token t = peek();
        if (t.kind() != Kind.NOT && t.kind() != Kind.OPEN) {
            return comparison();
        }
        if (++depth > MAX_DEPTH) {
            throw new GateSyntaxException(t.offset(), "the gate nests parentheses and 'not' more than " + MAX_DEPTH
                    + " levels deep", "simplify it: join conditions with 'and' and 'or', which need no nesting");
        }
        take();
        GateExpression e;
        if (t.kind() == Kind.NOT) {
            e = new Not(not());
        } else {
            e = or();
            Token close = peek();
            if (close.kind() != Kind.CLOSE) {
                throw new GateSyntaxException(close.offset(), "expected ')' to close the '(' at column "
                        + (t.offset() + 1) + " of the gate, found " + close.described(), "add the missing ')'");
            }
            take();
        }
        depth--;
        return e;
    }

    private GateExpression comparison() throws GateSyntaxException {
        Operand left = operand();
        Token op = peek();
        if (op.kind() != Kind.OP) {
            String fix = op.kind() == Kind.END || op.kind() == Kind.AND || op.kind() == Kind.OR || op.kind() == Kind.CLOSE
                    ? "compare it with " + OPS + ", " + (left instanceof Ref ? left.text() + " >= 0.9" : EXAMPLE)
                    : "write a comparison " + OPS + " between them, " + EXAMPLE;
            throw new GateSyntaxException(op.offset(), "expected a comparison (" + OPS + ") after '" + left.text()
                    + "', found " + op.described(), fix);
        }
        take();
        Operand right = operand();
        if (left instanceof Num && right instanceof Num) {
            throw new GateSyntaxException(left.offset(), "'" + text.substring(left.offset(), right.offset() + right.text().length())
                    + "' compares two numbers", "compare a recorded result with a number, " + EXAMPLE);
        }
        return new Comparison(left, Op.of(op.text()), right);
    }

    private Operand operand() throws GateSyntaxException {
        Token t = take();
        if (t.kind() == Kind.REF) {
            return new Ref(t.text(), t.offset());
        }
        if (t.kind() == Kind.NUMBER) {
            return new Num(Double.parseDouble(t.text()), t.text(), t.offset());
        }
        throw new GateSyntaxException(t.offset(), "expected a result such as eval.roc_auc, or a number, found "
                + t.described(), t.kind() == Kind.END ? "finish the comparison, " + EXAMPLE
                : "write <stage id>.<result name> or a number here, " + EXAMPLE);
    }

    private static List<Token> tokenize(String s) throws GateSyntaxException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                out.add(new Token(c == '(' ? Kind.OPEN : Kind.CLOSE, String.valueOf(c), i));
                i++;
            } else if (c == '>' || c == '<' || c == '!' || c == '=') {
                boolean twoChars = i + 1 < s.length() && s.charAt(i + 1) == '=';
                if (twoChars) {
                    out.add(new Token(Kind.OP, s.substring(i, i + 2), i));
                    i += 2;
                } else if (c == '>' || c == '<') {
                    out.add(new Token(Kind.OP, String.valueOf(c), i));
                    i++;
                } else if (c == '=') {
                    boolean arrow = i + 1 < s.length() && (s.charAt(i + 1) == '>' || s.charAt(i + 1) == '<');
                    throw new GateSyntaxException(i, arrow ? "'=" + s.charAt(i + 1) + "' is not a comparison" : "'=' alone is not a comparison",
                            arrow ? "did you mean '" + s.charAt(i + 1) + "='?" : "did you mean '=='? (or >=, <=)");
                } else {
                    throw new GateSyntaxException(i, "'!' alone is not an operator", "write 'not' to negate, or '!=' for not equal");
                }
            } else if (c == '&' || c == '|') {
                int end = i + 1 < s.length() && s.charAt(i + 1) == c ? i + 2 : i + 1;
                throw new GateSyntaxException(i, "'" + s.substring(i, end) + "' is not an operator in a gate",
                        "did you mean '" + (c == '&' ? "and" : "or") + "'?");
            } else if (Character.isDigit(c) || c == '.' || ((c == '-' || c == '+') && i + 1 < s.length()
                    && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '.'))) {
                int end = number(s, i);
                String num = s.substring(i, end);
                if (end < s.length() && isNameChar(s.charAt(end))) {
                    int wordEnd = end;
                    while (wordEnd < s.length() && (isNameChar(s.charAt(wordEnd)) || s.charAt(wordEnd) == '.')) wordEnd++;
                    throw new GateSyntaxException(i, "'" + s.substring(i, wordEnd) + "' is neither a number nor a result",
                            "a result starts with its stage id (a letter), such as eval.roc_auc; a number is written like 0.9");
                }
                try {
                    Double.parseDouble(num);
                } catch (NumberFormatException e) {
                    throw new GateSyntaxException(i, "'" + num + "' is not a number", "write a number such as 0.9 or 1e-3");
                }
                out.add(new Token(Kind.NUMBER, num, i));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < s.length() && isNameChar(s.charAt(end))) end++;
                while (end < s.length() && s.charAt(end) == '.') {
                    int segment = end + 1;
                    int segEnd = segment;
                    while (segEnd < s.length() && isNameChar(s.charAt(segEnd))) segEnd++;
                    if (segEnd == segment) {
                        throw new GateSyntaxException(segment, "'" + s.substring(i, segment) + "' ends with a dot",
                                "name a result after the dot, such as eval.roc_auc");
                    }
                    end = segEnd;
                }
                String word = s.substring(i, end);
                Kind kind = switch (word) {
                    case "and" -> Kind.AND;
                    case "or" -> Kind.OR;
                    case "not" -> Kind.NOT;
                    default -> Kind.REF;
                };
                if (kind == Kind.REF && (word.equals("AND") || word.equals("OR") || word.equals("NOT"))) {
                    throw new GateSyntaxException(i, "'" + word + "' is not a keyword", "write it in lower case: '"
                            + word.toLowerCase(java.util.Locale.ROOT) + "'");
                }
                out.add(new Token(kind, word, i));
                i = end;
            } else {
                throw new GateSyntaxException(i, "unexpected character '" + c + "'",
                        "a gate holds results (eval.roc_auc), numbers, " + OPS + ", and, or, not and parentheses");
            }
        }
        out.add(new Token(Kind.END, "", s.length()));
        return out;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }

    /** The end of the number starting at {@code i}: sign, digits, fraction, exponent. */
    private static int number(String s, int i) {
        int j = i;
        if (s.charAt(j) == '-' || s.charAt(j) == '+') j++;
        while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
        if (j < s.length() && s.charAt(j) == '.') {
            j++;
            while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
        }
        if (j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < s.length() && (s.charAt(k) == '-' || s.charAt(k) == '+')) k++;
            if (k < s.length() && Character.isDigit(s.charAt(k))) {
                j = k;
                while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
            }
        }
        return j;
    }
}

package dev.candor.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.candor.pipeline.gate.GateExpression.And;
import dev.candor.pipeline.gate.GateExpression.Comparison;
import dev.candor.pipeline.gate.GateExpression.Not;
import dev.candor.pipeline.gate.GateExpression.Num;
import dev.candor.pipeline.gate.GateExpression.Op;
import dev.candor.pipeline.gate.GateExpression.Or;
import dev.candor.pipeline.gate.GateExpression.Ref;
import dev.candor.registry.MetricView;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Parsing gates (precedence, dotted names, offsets of mistakes) and deciding them against recorded results. */
class GateParserTest {

    @Test
    void andBindsTighterThanOrAndNotTighterThanAnd() throws Exception {
        GateExpression e = GateParser.parse("a.x >= 1 or not b.y < 2 and 0.5 <= c.fairness.sex.disparate_impact");
        assertThat(e).isInstanceOf(Or.class);
        Or or = (Or) e;
        assertThat(or.terms().get(0)).isEqualTo(new Comparison(new Ref("a.x", 0), Op.GE, new Num(1, "1", 7)));
        And and = (And) or.terms().get(1);
        assertThat(and.terms().get(0)).isInstanceOf(Not.class);
        Comparison last = (Comparison) and.terms().get(1);
        assertThat(last.left()).isEqualTo(new Num(0.5, "0.5", 28));
        Ref ref = (Ref) last.right();
        assertThat(ref.stageId()).isEqualTo("c");
        assertThat(ref.name()).isEqualTo("fairness.sex.disparate_impact");
        assertThat(ref.nameOffset()).isEqualTo(37);
        assertThat(e.refs()).extracting(Ref::text).containsExactly("a.x", "b.y", "c.fairness.sex.disparate_impact");
    }

    @Test
    void parenthesesRegroupAndNumbersTakeSignsAndExponents() throws Exception {
        GateExpression e = GateParser.parse("(eval_lr.roc_auc>0.9 or mlp.privacy.epsilon<=-1e-3) and x-y.a != +2");
        And and = (And) e;
        assertThat(and.terms().get(0)).isInstanceOf(Or.class);
        Comparison eps = (Comparison) ((Or) and.terms().get(0)).terms().get(1);
        assertThat(((Num) eps.right()).value()).isEqualTo(-1e-3);
        assertThat(((Comparison) and.terms().get(1)).left()).isEqualTo(new Ref("x-y.a", 56));
    }

    @Test
    void nestingIsBoundedWithTheOffsetOfTheFirstTooDeepLevelNotAStackOverflow() throws Exception {
        int allowed = GateParser.MAX_DEPTH;
        String ok = "(".repeat(allowed - 1) + "not a.x >= 1" + ")".repeat(allowed - 1);
        assertThat(GateParser.parse(ok).refs()).extracting(Ref::text).containsExactly("a.x");

        // The gate: 2,000 nested parentheses used to throw StackOverflowError with a 1,024-line trace.
        String deep = "(".repeat(2000) + "eval.roc_auc >= 0.9" + ")".repeat(2000);
        GateSyntaxException e = catchThrowableOfType(GateSyntaxException.class, () -> GateParser.parse(deep));
        assertThat(e.offset()).isEqualTo(allowed);
        assertThat(e.problem()).isEqualTo("the gate nests parentheses and 'not' more than " + allowed + " levels deep");
        assertThat(e.fix()).contains("join conditions with 'and' and 'or'");
        String nots = "not ".repeat(5000) + "a.x >= 1";
        assertThat(catchThrowableOfType(GateSyntaxException.class, () -> GateParser.parse(nots)).offset())
                .isEqualTo(4 * allowed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', ignoreLeadingAndTrailingWhitespace = false, value = {
            "eval.roc_auc => 0.9|13|'=>' is not a comparison",
            "eval.roc_auc = 0.9|13|'=' alone is not a comparison",
            "eval.roc_auc >= 0.9 && eval.brier < 0.1|20|'&&' is not an operator",
            "eval.roc_auc|12|expected a comparison (>=, >, <=, <, == or !=) after 'eval.roc_auc', found the end of the gate",
            "eval.roc_auc >=|15|found the end of the gate",
            "(eval.roc_auc >= 0.9|20|expected ')' to close the '(' at column 1",
            "eval.roc_auc >= 0.9)|19|unexpected ')' after a complete condition",
            "eval.roc_auc >= 0.9 eval.brier < 1|20|unexpected 'eval.brier' after a complete condition",
            "0.8 < 0.9|0|'0.8 < 0.9' compares two numbers",
            "eval. >= 1|5|'eval.' ends with a dot",
            "eval.roc_auc >= 0.9 AND eval.brier < 1|20|'AND' is not a keyword",
            "eval.roc_auc >= 9x|16|'9x' is neither a number nor a result",
            "eval.roc_auc >= 0.9 ; x|20|unexpected character ';'",
            "\"   \"|0|the gate is empty"})
    void mistakesNameTheOffendingToken(String gate, int offset, String problem) {
        GateSyntaxException e = catchThrowableOfType(GateSyntaxException.class, () -> GateParser.parse(gate));
        assertThat(e).as(gate).isNotNull();
        assertThat(e.problem()).contains(problem);
        assertThat(e.offset()).isEqualTo(offset);
        assertThat(e.fix()).isNotBlank();
    }

    @Test
    void gatesAreDecidedOnThePrimarySplitAndAMissingResultFailsThem() throws Exception {
        RecordedResults results = new RecordedResults(List.of(
                new MetricView("eval", "roc_auc", 0.97, "test", null),
                new MetricView("eval", "roc_auc", 0.5, "test", "sex=female"),
                new MetricView("lr", "accuracy", 0.99, "train", null),
                new MetricView("lr", "accuracy", 0.95, "validation", null),
                new MetricView("lr", "features", 30, null, null)));

        GateOutcome pass = GateEvaluator.evaluate("g", GateParser.parse("eval.roc_auc >= 0.95 and lr.accuracy < 0.96"), results);
        assertThat(pass.passed()).isTrue();
        assertThat(pass.values()).containsExactly(org.assertj.core.api.Assertions.entry("eval.roc_auc", 0.97),
                org.assertj.core.api.Assertions.entry("lr.accuracy", 0.95));
        assertThat(pass.detail()).isEqualTo("eval.roc_auc = 0.97 >= 0.95 holds; lr.accuracy = 0.95 < 0.96 holds");

        GateOutcome fail = GateEvaluator.evaluate("g", GateParser.parse("lr.features > eval.roc_auc * 0"
                .replace(" * 0", "") + " and not eval.roc_auc > 0.9"), results);
        assertThat(fail.passed()).isFalse();
        assertThat(fail.detail()).contains("lr.features = 30 > eval.roc_auc = 0.97 holds", "eval.roc_auc = 0.97 > 0.9 holds");

        GateOutcome missing = GateEvaluator.evaluate("g", GateParser.parse("eval.pr_auc >= 0.5 or eval.roc_auc > 0"), results);
        assertThat(missing.passed()).as("or cannot rescue a missing result").isFalse();
        assertThat(missing.values()).containsEntry("eval.pr_auc", null).containsEntry("eval.roc_auc", 0.97);
        assertThat(missing.detail()).isEqualTo("eval.pr_auc is missing: stage 'eval' did not record 'pr_auc' in this run"
                + " (undefined for this data?); it recorded roc_auc");

        GateOutcome noStage = GateEvaluator.evaluate("g", GateParser.parse("why.explained_rows >= 1"), results);
        assertThat(noStage.detail()).contains("stage 'why' recorded no results in this run");
    }
}

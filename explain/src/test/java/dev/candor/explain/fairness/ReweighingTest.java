package dev.candor.explain.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReweighingTest {

    @Test
    void weightsAreExpectedOverObservedCellCountsWorkedByHand() {
        // Kamiran & Calders 2012: w(a, y) = P(a) P(y) / P(a, y) = n_a n_y / (n n_ay).
        // M: 4 rows, 3 favourable; F: 4 rows, 1 favourable; n = 8, n_fav = 4, n_unfav = 4.
        // w(M, fav) = 4·4 / (8·3) = 2/3; w(M, unfav) = 4·4 / (8·1) = 2; w(F, fav) = 2; w(F, unfav) = 2/3.
        ProtectedAttribute sex = ProtectedAttribute.categorical("sex",
                List.of("M", "M", "M", "M", "F", "F", "F", "F"));
        boolean[] y = {true, true, true, false, true, false, false, false};
        double[] w = Reweighing.weights(sex, y).weights();
        assertThat(w).containsExactly(new double[] {2.0 / 3, 2.0 / 3, 2.0 / 3, 2, 2, 2.0 / 3, 2.0 / 3, 2.0 / 3},
                within(1e-15));
    }

    @Test
    void afterReweighingTheWeightedStatisticalParityDifferenceIsZeroAndTheTotalWeightIsTheRowCount() {
        // Checks the defining property: weighted SR(a) = Σ_{a, fav} w / Σ_a w is the same for every group, so the
        // weighted statistical parity difference (AIF360 definition, any group against any other) is 0.
        SplittableRandom r = new SplittableRandom(5);
        int n = 1013;
        List<String> group = new ArrayList<>();
        boolean[] y = new boolean[n];
        String[] names = {"a", "b", "c"};
        double[] rate = {0.7, 0.4, 0.15};
        for (int i = 0; i < n; i++) {
            int g = r.nextInt(3);
            group.add(names[g]);
            y[i] = r.nextDouble() < rate[g];
        }
        ProtectedAttribute attr = ProtectedAttribute.categorical("g", group);
        Reweighing.Result result = Reweighing.weights(attr, y);
        double[] w = result.weights();
        double total = 0;
        double[] groupW = new double[3], groupFav = new double[3];
        for (int i = 0; i < n; i++) {
            total += w[i];
            int g = attr.codes()[i];
            groupW[g] += w[i];
            if (y[i]) groupFav[g] += w[i];
        }
        assertThat(total).isCloseTo(n, within(1e-9));
        double before = 0;
        for (int i = 0; i < n; i++) before += y[i] ? 1 : 0;
        for (int g = 1; g < 3; g++) {
            assertThat(groupFav[g] / groupW[g] - groupFav[0] / groupW[0]).isCloseTo(0, within(1e-9));
        }
        // and that common rate is the overall favourable rate
        assertThat(groupFav[0] / groupW[0]).isCloseTo(before / n, within(1e-9));
        assertThat(result.cells()).hasSize(6);
    }

    @Test
    void anEmptyCellHasNoWeightAndNoRowCarriesIt() {
        ProtectedAttribute g = ProtectedAttribute.categorical("g", List.of("a", "a", "b", "b"));
        Reweighing.Result r = Reweighing.weights(g, new boolean[] {true, true, true, false});
        Reweighing.Cell aUnfav = r.cells().get(0);
        assertThat(aUnfav.rows()).isZero();
        assertThat(aUnfav.weight()).isNaN();
        // a fav: 2·3/(4·2) = 0.75; b fav: 2·3/(4·1) = 1.5; b unfav: 2·1/(4·1) = 0.5; total 3.5, short of 4 by the
        // empty cell's expected mass n_a n_unfav / n = 2·1/4
        assertThat(r.weights()).containsExactly(new double[] {0.75, 0.75, 1.5, 0.5}, within(1e-15));
    }
}

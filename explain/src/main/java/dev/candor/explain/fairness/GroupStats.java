package dev.candor.explain.fairness;

/**
 * Counts of one group (or a pooled set of groups) over a list of row indexes, possibly with repeats (a bootstrap
 * resample), and the group metrics computed from them.
 */
final class GroupStats {
    long n, actualFav, predFav, tp, fp;
    final long[] binRows;
    final double[] binScore;
    final long[] binFav;

    GroupStats(int bins) {
        binRows = new long[bins];
        binScore = new double[bins];
        binFav = new long[bins];
    }

    static GroupStats of(Outcomes o, int[] rows, int count, int bins) {
        GroupStats s = new GroupStats(bins);
        boolean scores = o.hasScores();
        for (int k = 0; k < count; k++) {
            int i = rows[k];
            boolean y = o.actualAt(i), p = o.predictedAt(i);
            s.n++;
            if (y) s.actualFav++;
            if (p) s.predFav++;
            if (y && p) s.tp++;
            if (!y && p) s.fp++;
            if (scores) {
                double sc = o.scoreAt(i);
                int b = Math.min((int) (sc * bins), bins - 1);
                s.binRows[b]++;
                s.binScore[b] += sc;
                if (y) s.binFav[b]++;
            }
        }
        return s;
    }

    void add(GroupStats other) {
        n += other.n;
        actualFav += other.actualFav;
        predFav += other.predFav;
        tp += other.tp;
        fp += other.fp;
    }

    double baseRate() {
        return ratio(actualFav, n);
    }

    double selectionRate() {
        return ratio(predFav, n);
    }

    double tpr() {
        return ratio(tp, actualFav);
    }

    double fpr() {
        return ratio(fp, n - actualFav);
    }

    double precision() {
        return ratio(tp, predFav);
    }

    double ece(boolean scores) {
        if (!scores || n == 0) return Double.NaN;
        double e = 0;
        for (int b = 0; b < binRows.length; b++) {
            if (binRows[b] == 0) continue;
            e += (double) binRows[b] / n * Math.abs(binScore[b] / binRows[b] - (double) binFav[b] / binRows[b]);
        }
        return e;
    }

    double metric(GroupMetric m, boolean scores) {
        return switch (m) {
            case BASE_RATE -> baseRate();
            case SELECTION_RATE -> selectionRate();
            case TRUE_POSITIVE_RATE -> tpr();
            case FALSE_POSITIVE_RATE -> fpr();
            case PRECISION -> precision();
            case EXPECTED_CALIBRATION_ERROR -> ece(scores);
        };
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}

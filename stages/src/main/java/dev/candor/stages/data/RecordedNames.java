package dev.candor.stages.data;

/**
 * The longest names from the data that the registry records inside metric names and slices, which it stores in at
 * most 400 characters ({@code RegistryLimits.METRIC_SLICE}, 200 for metric names): a kept column's name
 * ({@code feature=<column>,class=<class>}), a class ({@code class=<class>}), and a protected attribute's name and
 * values ({@code fairness.<a>_x_<b>.<gap>}, {@code <a>_x_<b>=<a>=<x>,<b>=<y>}). Ingestion refuses longer ones with
 * their row and column, so that no stage fails later on a registry write (found by the fuzzer, issue 9: a 458-character
 * class failed {@code evaluate} with exit 1). {@code RecordedNamesTest} in the pipeline module checks the worst
 * slices and names against the registry's columns.
 */
public final class RecordedNames {
    /** The longest name of a column the dataset keeps. */
    public static final int COLUMN = 200;
    /** The longest class (a value of the label). */
    public static final int CLASS = 150;
    /** The longest name of a protected attribute, and the longest of its values. */
    public static final int PROTECTED = 64;

    private RecordedNames() {
    }
}

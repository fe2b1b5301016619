package dev.candor.stages.ingest;

import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.MissingPolicy;
import dev.candor.stages.spi.ConfigException;
import dev.candor.stages.spi.DataPath;
import dev.candor.stages.spi.Doc;
import dev.candor.stages.spi.Key;
import dev.candor.stages.spi.Required;
import java.util.List;
import java.util.Map;

/** Configuration of {@code ingest.csv}. */
@Doc("Reads a CSV file (header row required) into a dataset with train, validation and test splits")
public record CsvIngestConfig(
        @Required @DataPath @Doc("The CSV file, relative to the pipeline file") String path,
        @Required @Doc("The label column") String label,
        @Doc("Column types you declare (numeric or categorical); undeclared columns are inferred") Map<String, ColumnType> columns,
        @Doc("A row-id column: kept for tracing, never a feature") String id,
        @Key("protected") @Doc("Protected attributes (sex, age, ...): kept for fairness analysis, not features unless protected_as_features") List<String> protectedColumns,
        @Doc("Columns to leave out entirely") List<String> ignore,
        @Doc("Also use the protected attributes as model features (default false)") Boolean protectedAsFeatures,
        @Doc("What to do with empty fields: error, drop, impute-mean or impute-mode (default error)") MissingPolicy missing,
        @Doc("Split fractions") SplitConfig split,
        @Doc("Field delimiter, one character (default ',')") String delimiter,
        @Doc("Columns an attacker could link to other data (zip, birth year, ...): their k-anonymity is recorded") List<String> quasiIdentifiers,
        @Doc("The k-anonymity below which ingestion warns (default 5)") Integer minK,
        @Doc("The file's character encoding: utf-8 (default), iso-8859-1 or windows-1252 (Excel on Western European Windows)") Encoding encoding) {

    /** The k-anonymity below which ingestion warns when {@code min_k} is not given. */
    public static final int DEFAULT_MIN_K = 5;

    public CsvIngestConfig {
        if (path == null || path.isBlank()) throw new ConfigException("path", "is required: the CSV file to read");
        if (label == null || label.isBlank()) throw new ConfigException("label", "is required: the name of the label column");
        columns = columns == null ? Map.of() : Map.copyOf(columns);
        protectedColumns = protectedColumns == null ? List.of() : List.copyOf(protectedColumns);
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
        protectedAsFeatures = protectedAsFeatures != null && protectedAsFeatures;
        missing = missing == null ? MissingPolicy.ERROR : missing;
        split = split == null ? SplitConfig.defaults() : split;
        delimiter = delimiter == null ? "," : delimiter;
        quasiIdentifiers = quasiIdentifiers == null ? List.of() : List.copyOf(quasiIdentifiers);
        minK = minK == null ? DEFAULT_MIN_K : minK;
        encoding = encoding == null ? Encoding.UTF_8 : encoding;
        if (minK < 1) throw new ConfigException("min_k", "must be >= 1, got " + minK);
        if (delimiter.length() != 1) throw new ConfigException("delimiter", "must be one character, got '" + delimiter + "'");
        if (protectedColumns.contains(label)) throw new ConfigException("protected", "the label '" + label + "' cannot also be a protected attribute");
        if (ignore.contains(label)) throw new ConfigException("ignore", "the label '" + label + "' cannot be ignored");
        if (label.equals(id)) throw new ConfigException("id", "the label '" + label + "' cannot also be the id column");
        if (columns.get(label) == ColumnType.NUMERIC) {
            throw new ConfigException("columns", "the label '" + label + "' is always categorical (its values are class names);"
                    + " remove it from `columns:` or declare it categorical");
        }
        if (id != null && protectedColumns.contains(id)) throw new ConfigException("protected", "the id column '" + id + "' cannot also be a protected attribute");
        if (id != null && ignore.contains(id)) throw new ConfigException("ignore", "the id column '" + id + "' cannot also be ignored; leave `id:` out instead");
        for (String p : protectedColumns) {
            if (ignore.contains(p)) throw new ConfigException("ignore", "the protected attribute '" + p + "' cannot also be ignored: fairness analysis needs it");
        }
    }

    /** Without privacy keys (no quasi-identifiers, min_k 5). */
    public CsvIngestConfig(String path, String label, Map<String, ColumnType> columns, String id,
                           List<String> protectedColumns, List<String> ignore, Boolean protectedAsFeatures,
                           MissingPolicy missing, SplitConfig split, String delimiter) {
        this(path, label, columns, id, protectedColumns, ignore, protectedAsFeatures, missing, split, delimiter, null,
                null, null);
    }

    /** The same configuration reading the file in {@code encoding}. */
    public CsvIngestConfig withEncoding(Encoding encoding) {
        return new CsvIngestConfig(path, label, columns, id, protectedColumns, ignore, protectedAsFeatures, missing,
                split, delimiter, quasiIdentifiers, minK, encoding);
    }
}

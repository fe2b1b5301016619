package dev.candor.stages.ingest;

import dev.candor.stages.data.MissingPolicy;
import dev.candor.stages.data.Split;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The graph of {@code ingest.csv}: builds it, runs nothing.
 *
 * <pre>
 * match file → parse (row numbers) ─┬→ infer types ─┬─────────────┐ (side input)
 *                                   │               └→ check for empty columns
 *                                   └→ type rows ─┬→ count classes → check classes
 *                                                 └→ group by class → split ─┬→ statistics per split ─┐
 *                                                                            └→ impute (train stats) → group by split → write Avro
 * every problem → collect (first 20 + total) → fail, or → write schema.json + statistics.json
 * </pre>
 *
 * @param file        the CSV file
 * @param delimiter   the field delimiter
 * @param encoding    the file's character encoding
 * @param layout      the kept columns and their roles
 * @param split       the split fractions
 * @param seed        the split seed
 * @param description builds the schema and the statistics
 * @param outputDir   where the artifact goes
 */
record IngestPipeline(Path file, char delimiter, Encoding encoding, ColumnLayout layout, StratifiedSplit split, long seed,
                      DatasetDescription description, Path outputDir) {

    /** How many dropped rows {@code statistics.json} lists by line number. */
    static final int DROPPED_ROWS_LISTED = 20;

    void build(Pipeline p) {
        int columns = layout.size();
        int label = layout.label();
        MissingPolicy policy = layout.missing();
        RowCoders.register(p.getCoderRegistry());

        PCollectionTuple parsed = p
                .apply("MatchFile", FileIO.match().filepattern(file.toString())
                        .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
                .apply("ReadMatches", FileIO.readMatches())
                .apply("ParseCsv", ParDo.of(new ParseCsvFn(layout, delimiter, encoding))
                        .withOutputTags(ParseCsvFn.ROWS, TupleTagList.of(ParseCsvFn.ISSUES)));
        PCollection<CsvRow> rows = parsed.get(ParseCsvFn.ROWS);

        PCollection<ColumnTypes> inferred = rows.apply("InferTypes", Combine.globally(new ColumnTypes.InferFn(layout)));
        PCollectionView<ColumnTypes> types = inferred.apply("TypesView", View.asSingleton());
        PCollection<Issue> columnIssues = inferred.apply("CheckEmptyColumns", ParDo.of(new ColumnTypes.EmptyColumnsFn(layout)));

        PCollectionTuple typed = rows.apply("TypeRows", ParDo.of(new TypeRowsFn(layout, types)).withSideInputs(types)
                .withOutputTags(TypeRowsFn.ROWS, TupleTagList.of(TypeRowsFn.ISSUES).and(TypeRowsFn.DROPPED).and(TypeRowsFn.LABELS)));
        PCollection<TypedRow> kept = typed.get(TypeRowsFn.ROWS);
        PCollection<Long> droppedRows = typed.get(TypeRowsFn.DROPPED);
        PCollectionView<Long> dropped = droppedRows.apply("CountDropped", Count.<Long>globally())
                .apply("CountDroppedView", View.asSingleton());
        PCollectionView<List<Long>> droppedListed = droppedRows
                .apply("FirstDropped", Top.<Long>smallest(DROPPED_ROWS_LISTED))
                .apply("FirstDroppedView", View.asSingleton());

        PCollection<Issue> classIssues = typed.get(TypeRowsFn.LABELS)
                .apply("CountClasses", Combine.globally(new StratifiedSplit.CountClassesFn()))
                .apply("CheckClasses", ParDo.of(new StratifiedSplit.CheckClassesFn(split, layout, types)).withSideInputs(types));

        PCollection<KV<String, TypedRow>> assigned = kept
                .apply("KeyByClass", WithKeys.of((TypedRow r) -> r.category(label)).withKeyType(TypeDescriptors.strings()))
                .apply("GroupByClass", GroupByKey.create())
                .apply("Split", ParDo.of(new StratifiedSplit.AssignFn(split, seed)));

        PCollection<KV<String, SplitStats>> stats = assigned.apply("SplitStatistics",
                Combine.perKey(new SplitStats.CombineFn(SplitStats.keepCategories(layout), policy == MissingPolicy.IMPUTE_MODE)));
        PCollectionView<Map<String, SplitStats>> statsView = stats.apply("SplitStatisticsView", View.asMap());

        PCollectionView<Imputation> imputation;
        PCollection<KV<String, TypedRow>> complete;
        PCollection<Issue> imputationIssues;
        if (policy == MissingPolicy.IMPUTE_MEAN || policy == MissingPolicy.IMPUTE_MODE) {
            String train = Split.TRAIN.label();
            PCollectionTuple decided = stats
                    .apply("TrainOnly", Filter.by((KV<String, SplitStats> kv) -> kv.getKey().equals(train)))
                    .apply("TrainStatistics", Values.create())
                    .apply("DecideImputation", ParDo.of(new Imputation.DecideFn(layout, types)).withSideInputs(types)
                            .withOutputTags(Imputation.DecideFn.IMPUTATION, TupleTagList.of(Imputation.DecideFn.ISSUES)));
            imputation = decided.get(Imputation.DecideFn.IMPUTATION)
                    .apply("ImputationView", View.<Imputation>asSingleton().withDefaultValue(Imputation.none(columns)));
            complete = assigned.apply("Impute", ParDo.of(new Imputation.ApplyFn(imputation)).withSideInputs(imputation));
            imputationIssues = decided.get(Imputation.DecideFn.ISSUES);
        } else {
            imputation = p.apply("NoImputation", Create.of(Imputation.none(columns))).apply("NoImputationView", View.asSingleton());
            complete = assigned;
            imputationIssues = p.apply("NoImputationIssues", Create.empty(SerializableCoder.of(Issue.class)));
        }

        PCollection<Issues> issues = PCollectionList.of(parsed.get(ParseCsvFn.ISSUES))
                .and(columnIssues)
                .and(typed.get(TypeRowsFn.ISSUES))
                .and(classIssues)
                .and(imputationIssues)
                .apply("AllIssues", Flatten.pCollections())
                .apply("CollectIssues", Combine.globally(new Issues.CollectFn()));
        issues.apply("FailOnIssues", ParDo.of(new Issues.ThrowFn(layout.file())));
        PCollectionView<Issues> issuesView = issues.apply("IssuesView", View.asSingleton());

        complete.apply("GroupBySplit", GroupByKey.create())
                .apply("WriteSplits", ParDo.of(new SplitWriter.WriteFn(description, outputDir.toString(), types, statsView, issuesView))
                        .withSideInputs(types, statsView, issuesView));
        issues.apply("WriteSchemaAndStatistics", ParDo.of(new WriteDescriptionFn(description, outputDir, types, statsView,
                        imputation, dropped, droppedListed))
                .withSideInputs(types, statsView, imputation, dropped, droppedListed));
    }
}

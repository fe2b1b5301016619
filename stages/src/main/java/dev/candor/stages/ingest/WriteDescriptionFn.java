package dev.candor.stages.ingest;

import dev.candor.stages.data.Datasets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes {@code schema.json} and {@code statistics.json} once everything they describe is known, unless the data had
 * problems. Its main input is the (single) problem summary, which is complete only after every row was checked.
 */
final class WriteDescriptionFn extends DoFn<Issues, Void> {
    private final DatasetDescription description;
    private final String dir;
    private final PCollectionView<ColumnTypes> typesView;
    private final PCollectionView<Map<String, SplitStats>> statsView;
    private final PCollectionView<Imputation> imputationView;
    private final PCollectionView<Long> droppedView;
    private final PCollectionView<List<Long>> droppedRowsView;

    WriteDescriptionFn(DatasetDescription description, Path dir, PCollectionView<ColumnTypes> typesView,
                       PCollectionView<Map<String, SplitStats>> statsView, PCollectionView<Imputation> imputationView,
                       PCollectionView<Long> droppedView, PCollectionView<List<Long>> droppedRowsView) {
        this.description = description;
        this.dir = dir.toString();
        this.typesView = typesView;
        this.statsView = statsView;
        this.imputationView = imputationView;
        this.droppedView = droppedView;
        this.droppedRowsView = droppedRowsView;
    }

    @ProcessElement
    public void process(@Element Issues issues, ProcessContext context) {
        if (!issues.isEmpty()) return;
        ColumnTypes types = context.sideInput(typesView);
        Map<String, SplitStats> stats = context.sideInput(statsView);
        Path out = Path.of(dir);
        Datasets.writeSchema(out, description.schema(types, stats));
        description.statistics(types, stats, context.sideInput(imputationView), context.sideInput(droppedView),
                context.sideInput(droppedRowsView)).write(out);
    }
}

package dev.candor.stages.ingest;

import dev.candor.stages.data.DatasetRow;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes one split as one Avro file ({@code train.avro}, ...), rows sorted by source row, through Beam's
 * {@link FileSystems} (so any Beam file system will do).
 *
 * <p>Why not {@code AvroIO}: an Avro container file carries a 16-byte sync marker that Avro draws at random, so two
 * writes of the same rows differ; and AvroIO's single shard receives rows in whatever order the runner groups them.
 * Here the marker is derived from the source hash and the split, and rows are sorted, so the same file and seed give
 * byte-identical artifacts, which is what lets the cache and an auditor compare them by hash.
 */
final class SplitWriter {

    private SplitWriter() {
    }

    /** The sync marker of a split file: the first 16 bytes of SHA-256("candor-dataset/" + source hash + "/" + split). */
    static byte[] syncMarker(String sourceSha256, String split) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("candor-dataset/" + sourceSha256 + "/" + split).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
        }
    }

    /** Writes {@code rows} (already in their final order) to {@code out}. */
    static void write(OutputStream out, DatasetSchema schema, List<TypedRow> rows, byte[] sync) throws IOException {
        Schema avro = Datasets.avroSchema(schema);
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(avro))) {
            writer.create(avro, out, sync);
            for (TypedRow row : rows) writer.append(Datasets.toRecord(avro, new DatasetRow(row.row(), row.values())));
        }
    }

    /** Writes {@code <dir>/<split>.avro}; the resource is replaced whole, so a retried bundle writes the same bytes. */
    static void write(String dir, String split, DatasetSchema schema, List<TypedRow> rows) throws IOException {
        ResourceId file = FileSystems.matchNewResource(dir, true)
                .resolve(split + ".avro", StandardResolveOptions.RESOLVE_FILE);
        try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY))) {
            write(out, schema, rows, syncMarker(schema.sha256(), split));
        }
    }

    /** Writes each split's rows, unless the data had problems (then the pipeline fails and nothing is written). */
    static final class WriteFn extends DoFn<KV<String, Iterable<TypedRow>>, Void> {
        private final DatasetDescription description;
        private final String dir;
        private final PCollectionView<ColumnTypes> typesView;
        private final PCollectionView<Map<String, SplitStats>> statsView;
        private final PCollectionView<Issues> issuesView;

        WriteFn(DatasetDescription description, String dir, PCollectionView<ColumnTypes> typesView,
                PCollectionView<Map<String, SplitStats>> statsView, PCollectionView<Issues> issuesView) {
            this.description = description;
            this.dir = dir;
            this.typesView = typesView;
            this.statsView = statsView;
            this.issuesView = issuesView;
        }

        @ProcessElement
        public void process(@Element KV<String, Iterable<TypedRow>> split, ProcessContext context) throws IOException {
            if (!context.sideInput(issuesView).isEmpty()) return;
            DatasetSchema schema = description.schema(context.sideInput(typesView), context.sideInput(statsView));
            List<TypedRow> rows = new ArrayList<>();
            split.getValue().forEach(rows::add);
            rows.sort(Comparator.comparingLong(TypedRow::row));
            write(dir, split.getKey(), schema, rows);
        }
    }
}

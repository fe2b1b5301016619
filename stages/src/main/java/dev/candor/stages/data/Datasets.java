package dev.candor.stages.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * Reads and writes the files of a dataset artifact: {@code schema.json}, {@code statistics.json} and one Avro file
 * per {@link Split}. Beam pipelines read the same Avro files through {@code AvroIO} with {@link #avroSchema}.
 */
public final class Datasets {
    public static final String SCHEMA_FILE = "schema.json";
    public static final String STATISTICS_FILE = "statistics.json";
    public static final String ROW_FIELD = "_row";

    /**
     * Reads back what ingestion wrote, without Jackson's default read limits: statistics key categories by their
     * value, and a 750,000-character category (found by the fuzzer, issue 9) was written and then could not be read
     * (names are limited to 50,000 characters), failing the stage as a fault of its own. The files are ours, and
     * their size is bounded by the data file's.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNameLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build()).enable(SerializationFeature.INDENT_OUTPUT);

    private Datasets() {
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static void writeSchema(Path dir, DatasetSchema schema) {
        try {
            JSON.writeValue(dir.resolve(SCHEMA_FILE).toFile(), schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DatasetSchema readSchema(Path dir) {
        Path file = dir.resolve(SCHEMA_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(dir + " is not a dataset artifact: it has no " + SCHEMA_FILE);
        }
        try {
            return JSON.readValue(file.toFile(), DatasetSchema.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The Avro schema of the split files: {@code _row} (long), then {@code c<i>} per column (double or string). */
    public static Schema avroSchema(DatasetSchema schema) {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("DatasetRow").namespace("dev.candor.data")
                .fields().name(ROW_FIELD).type().longType().noDefault();
        for (int i = 0; i < schema.columns().size(); i++) {
            ColumnSchema c = schema.columns().get(i);
            SchemaBuilder.FieldBuilder<Schema> f = fields.name(DatasetSchema.fieldName(i)).doc(c.name());
            fields = c.type() == ColumnType.NUMERIC ? f.type().doubleType().noDefault() : f.type().stringType().noDefault();
        }
        return fields.endRecord();
    }

    public static GenericRecord toRecord(Schema avro, DatasetRow row) {
        GenericRecord r = new GenericData.Record(avro);
        r.put(ROW_FIELD, row.sourceRow());
        for (int i = 0; i < row.values().length; i++) r.put(DatasetSchema.fieldName(i), row.values()[i]);
        return r;
    }

    public static DatasetRow fromRecord(DatasetSchema schema, GenericRecord r) {
        Object[] values = new Object[schema.columns().size()];
        for (int i = 0; i < values.length; i++) {
            Object v = r.get(DatasetSchema.fieldName(i));
            values[i] = v instanceof Utf8 || v instanceof CharSequence ? v.toString() : v;
        }
        return new DatasetRow((Long) r.get(ROW_FIELD), values);
    }

    /** Writes one split file (small datasets and tests; ingestion writes through Beam's AvroIO). */
    public static void writeSplit(Path dir, DatasetSchema schema, Split split, List<DatasetRow> rows) {
        Schema avro = avroSchema(schema);
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(avro))) {
            w.create(avro, dir.resolve(split.fileName()).toFile());
            for (DatasetRow row : rows) w.append(toRecord(avro, row));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a whole split into memory, in file order. */
    public static List<DatasetRow> readSplit(Path dir, Split split) {
        DatasetSchema schema = readSchema(dir);
        Path file = dir.resolve(split.fileName());
        List<DatasetRow> rows = new ArrayList<>();
        try (DataFileReader<GenericRecord> r = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            for (GenericRecord rec : r) rows.add(fromRecord(schema, rec));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }
}

package dev.candor.stages.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * The rows the scoring pipeline hands back to the stage: each source row with its true class and the model's
 * probabilities, written by Beam as Avro files into the stage's scratch directory and read back here.
 */
final class ScoredRows {
    static final String ROW = "row";
    static final String ACTUAL = "actual";
    static final String PROBABILITIES = "probabilities";
    static final Schema SCHEMA = SchemaBuilder.record("ScoredRow").namespace("dev.candor.evaluate").fields()
            .name(ROW).doc("the 1-based line of the row in the source file").type().longType().noDefault()
            .name(ACTUAL).doc("the index of the true class in the model's labels").type().intType().noDefault()
            .name(PROBABILITIES).doc("one probability per model label").type().array().items().floatType().noDefault()
            .endRecord();

    /** One scored row. */
    record Scored(long row, int actual, float[] probabilities) { }

    private ScoredRows() {
    }

    static GenericRecord toRecord(Schema schema, long row, int actual, float[] probabilities, int offset, int k) {
        GenericData.Array<Float> p = new GenericData.Array<>(k, schema.getField(PROBABILITIES).schema());
        for (int c = 0; c < k; c++) p.add(probabilities[offset + c]);
        GenericRecord r = new GenericData.Record(schema);
        r.put(ROW, row);
        r.put(ACTUAL, actual);
        r.put(PROBABILITIES, p);
        return r;
    }

    /** Every file {@code <prefix>*} in {@code dir}, read and sorted by source row, so the order never depends on the runner. */
    static List<Scored> readAll(Path dir, String prefix) {
        List<Scored> rows = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path f : files) {
                try (DataFileReader<GenericRecord> reader = new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
                    for (GenericRecord r : reader) {
                        @SuppressWarnings("unchecked")
                        List<Float> p = (List<Float>) r.get(PROBABILITIES);
                        float[] probabilities = new float[p.size()];
                        for (int c = 0; c < probabilities.length; c++) probabilities[c] = p.get(c);
                        rows.add(new Scored((Long) r.get(ROW), (Integer) r.get(ACTUAL), probabilities));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scored rows in " + dir, e);
        }
        rows.sort(Comparator.comparingLong(Scored::row));
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).row() == rows.get(i - 1).row()) {
                throw new IllegalStateException("source row " + rows.get(i).row() + " was scored twice; the scoring"
                        + " pipeline must emit each row once");
            }
        }
        return rows;
    }

    /** The number of records in an Avro file, counted block by block without decoding them. */
    static long count(Path avroFile) {
        long n = 0;
        try (DataFileStream<GenericRecord> s = new DataFileStream<>(Files.newInputStream(avroFile), new GenericDatumReader<>())) {
            while (s.hasNext()) {
                n += s.getBlockCount();
                s.nextBlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + avroFile, e);
        }
        return n;
    }
}

package dev.candor.stages.data;

import java.util.Locale;

/** The three splits of a dataset, each stored as one Avro file named after it. */
public enum Split {
    TRAIN, VALIDATION, TEST;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String fileName() {
        return label() + ".avro";
    }
}

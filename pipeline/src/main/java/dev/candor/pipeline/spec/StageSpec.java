package dev.candor.pipeline.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stage of a validated pipeline.
 *
 * @param id                  the stage id, unique in the pipeline ({@code [a-z][a-z0-9_-]*})
 * @param type                the stage type, one of the catalog's
 * @param inputs              the input stage ids as written in {@code inputs:}
 * @param resolvedInputs      the inputs the executor passes: those written, then implied ones (a dataset input left
 *                            out where exactly one dataset lies upstream, such as the data a model was trained on)
 * @param config              the {@code with:} block bound to the stage's config record
 * @param canonicalConfigJson the {@code with:} block as written, as JSON with sorted keys and no whitespace, so a
 *                            fingerprint does not depend on formatting or key order
 * @param dataFiles           the absolute paths of the config's {@code @DataPath} values, for the planner to hash
 * @param position            where the stage starts in the file
 */
public record StageSpec(String id, String type, List<String> inputs, List<String> resolvedInputs, Record config,
                        String canonicalConfigJson, List<Path> dataFiles, Position position) {
    public StageSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(canonicalConfigJson, "canonicalConfigJson");
        Objects.requireNonNull(position, "position");
        inputs = List.copyOf(inputs);
        resolvedInputs = List.copyOf(resolvedInputs);
        dataFiles = List.copyOf(dataFiles);
    }

    /** The config record as its own type, failing clearly when the stage was bound to another. */
    public <C extends Record> C config(Class<C> type) {
        if (!type.isInstance(config)) {
            throw new IllegalStateException("stage '" + id + "' has a " + config.getClass().getSimpleName()
                    + " config, not a " + type.getSimpleName());
        }
        return type.cast(config);
    }

    /** Each data file this stage names → the YAML key that names it, for messages ({@code path}, {@code a.file}). */
    public Map<Path, String> dataFileKeys() {
        return DataPathValues.keys(config);
    }

    /**
     * The config with its data paths replaced: the run hands the stage this, naming the private copies it took of
     * the data files ({@code copies}: each file of {@link #dataFiles()} → its copy), so the stage reads exactly what
     * was fingerprinted and nothing that changed, or became a link, afterwards.
     */
    public Record configReading(Map<Path, Path> copies) {
        return DataPathValues.replace(config, copies);
    }
}

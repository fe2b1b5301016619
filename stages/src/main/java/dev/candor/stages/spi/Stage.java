package dev.candor.stages.spi;

import java.util.List;

/**
 * A kind of pipeline step: a typed configuration record, the inputs it accepts, the artifact it writes, and the
 * executor that does the work. The engine's driver resolves inputs, checks the cache and records the run; a stage
 * only reads its inputs and writes its output directory.
 *
 * <p>Implementations are found through {@link java.util.ServiceLoader}: list them in
 * {@code META-INF/services/dev.candor.stages.spi.Stage}. They must be stateless and thread-safe: the same instance
 * may run for several stages of one pipeline at once.
 *
 * @param <C> the configuration record bound from the stage's {@code with:} block. Its components are the keys a
 *            user may write; annotate them with {@link Doc}, {@link Required} and {@link DataPath}. Its compact
 *            constructor fills defaults for absent (null) components and throws {@link ConfigException} naming the
 *            component when a value is out of range.
 */
public interface Stage<C extends Record> {

    /** The name written in {@code type:}, such as {@code ingest.csv}. */
    String type();

    /** One sentence for {@code candor schema} and error messages. */
    String description();

    /** The configuration record class. */
    Class<C> configType();

    /** The inputs this stage accepts, by kind. An empty list means the stage takes no input. */
    List<InputPort> inputs();

    /** The kind of the single artifact this stage writes to {@link StageContext#outputDir()}. */
    ArtifactKind output();

    /**
     * The names of the results this stage records on its primary split with no slice, that a pipeline's
     * {@code gates:} may refer to as {@code <stage id>.<name>}, such as {@code roc_auc} or
     * {@code fairness.*.disparate_impact}; {@code *} stands for exactly one dotted segment whose values depend on the
     * data (an attribute name). A gate naming a result outside these patterns is a spec error. The default, no
     * results, means no gate may refer to the stage.
     */
    default List<String> results(C config) {
        return List.of();
    }

    /**
     * Does the work: reads {@link StageContext#inputs()}, writes the output artifact into
     * {@link StageContext#outputDir()}, records metrics, and checks that its declared output exists before returning.
     *
     * @throws DataException for bad input data, naming file, row and column
     * @throws Exception     anything else; the driver records it against the stage run
     */
    StageOutput run(C config, StageContext context) throws Exception;
}

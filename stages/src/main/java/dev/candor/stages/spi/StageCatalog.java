package dev.candor.stages.spi;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The stage types on the class path, found through {@link ServiceLoader}, by type name. */
public final class StageCatalog {
    private final TreeMap<String, Stage<?>> byType = new TreeMap<>();

    private StageCatalog() {
    }

    public static StageCatalog load() {
        return load(Thread.currentThread().getContextClassLoader());
    }

    public static StageCatalog load(ClassLoader loader) {
        StageCatalog catalog = new StageCatalog();
        for (Stage<?> stage : ServiceLoader.load(Stage.class, loader)) {
            Stage<?> previous = catalog.byType.put(stage.type(), stage);
            if (previous != null && previous.getClass() != stage.getClass()) {
                throw new IllegalStateException("two stages claim type '" + stage.type() + "': "
                        + previous.getClass().getName() + " and " + stage.getClass().getName());
            }
        }
        return catalog;
    }

    /**
     * A catalog of exactly these stages, without {@link ServiceLoader}: for tests, and for embedding the engine with
     * a chosen set of stages.
     *
     * @throws IllegalArgumentException when two stages claim the same type
     */
    public static StageCatalog of(Stage<?>... stages) {
        StageCatalog catalog = new StageCatalog();
        for (Stage<?> stage : stages) {
            Stage<?> previous = catalog.byType.put(stage.type(), stage);
            if (previous != null) {
                throw new IllegalArgumentException("two stages claim type '" + stage.type() + "': "
                        + previous.getClass().getName() + " and " + stage.getClass().getName());
            }
        }
        return catalog;
    }

    public Optional<Stage<?>> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** All stages, sorted by type. */
    public Collection<Stage<?>> all() {
        return Collections.unmodifiableCollection(byType.values());
    }

    public java.util.Set<String> types() {
        return Collections.unmodifiableSet(byType.keySet());
    }
}

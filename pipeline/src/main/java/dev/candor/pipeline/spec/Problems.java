package dev.candor.pipeline.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects the errors of one file, so a user sees every mistake at once rather than one per attempt. */
final class Problems {
    private final Path file;
    private final List<SpecError> errors = new ArrayList<>();
    /** Per mapping, the valid keys that an unknown key was taken for a typo of ("lable" → "label"). */
    private final Map<Node, Set<String>> misspelled = new IdentityHashMap<>();

    Problems(Path file) {
        this.file = file;
    }

    void add(Position position, String message, String fix) {
        errors.add(new SpecError(file, position, message, fix));
    }

    void add(Node node, String message, String fix) {
        add(Nodes.position(node), message, fix);
    }

    /** Notes that an unknown key in {@code mapping} was reported as a typo of {@code key}. */
    void misspelled(Node mapping, String key) {
        misspelled.computeIfAbsent(mapping, m -> new HashSet<>()).add(key);
    }

    /**
     * Whether a missing key was already reported as misspelled in that mapping: then "missing 'label'" would only
     * repeat "unknown key 'lable' — did you mean 'label'?".
     */
    boolean wasMisspelled(Node mapping, String key) {
        return mapping != null && misspelled.getOrDefault(mapping, Set.of()).contains(key);
    }

    int count() {
        return errors.size();
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    List<SpecError> errors() {
        return List.copyOf(errors);
    }

    SpecException exception() {
        return new SpecException(errors());
    }
}

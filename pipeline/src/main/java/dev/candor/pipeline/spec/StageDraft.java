package dev.candor.pipeline.spec;

import dev.candor.stages.spi.Stage;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A stage as read from the file, before its inputs are checked and its {@code with:} is bound. Fields the reader
 * could not read are empty, and the errors about them are already reported.
 *
 * @param writtenId  the id as written, when it is a string (valid or not), so inputs naming it are not "unknown"
 * @param id         the id, when it is a valid, unique id
 * @param stage      the stage type, when it names one in the catalog
 * @param inputs     the input ids as written (strings only)
 * @param inputNodes the node of each input, for errors about it
 * @param inputsNode the {@code inputs:} value, or null when not written
 * @param withNode   the {@code with:} value, or null when not written
 * @param withPosition the {@code with:} key, or the stage's position when not written
 * @param position   where the stage starts
 */
record StageDraft(Optional<String> writtenId, Optional<String> id, Optional<Stage<?>> stage, List<String> inputs, List<Node> inputNodes,
                  Node inputsNode, Node withNode, Position withPosition, Position position) {

    /** Whether {@code inputs:} is absent or a list of strings, so {@link #inputs()} is all the stage lists. */
    boolean inputsReadable() {
        return inputsNode == null || inputsNode instanceof org.snakeyaml.engine.v2.nodes.SequenceNode sequence
                && sequence.getValue().stream().allMatch(Nodes::isString);
    }

    /** Where errors about the stage's inputs as a whole go: its {@code inputs:} if written, else the stage. */
    Position inputsPosition() {
        return inputsNode == null ? position : Nodes.position(inputsNode);
    }
}

package dev.candor.pipeline.spec;

import dev.candor.registry.RegistryLimits;
import java.nio.file.Path;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The sizes a pipeline file must keep, checked by {@code validate} before anything runs: everything the registry
 * stores of a pipeline must fit its column ({@link RegistryLimits}, the one copy of each size), or the run would fail
 * on its first write. The whole file is stored with every run, so its size is bounded too, and is checked before the
 * file is read or parsed.
 */
final class SpecLimits {
    /**
     * The largest pipeline file, in bytes. UTF-8 takes at least a byte per character, so a file within it fits the
     * registry's {@link RegistryLimits#YAML_TEXT} characters; it is also the YAML parser's code-point limit.
     */
    static final int MAX_FILE_BYTES = RegistryLimits.YAML_TEXT;

    /**
     * The longest line, in characters. SnakeYAML scans a long plain scalar in time that grows with the square of its
     * length (a 1 MB one-line scalar takes seconds, a 20 MB one minutes), so no line gets that long; a real pipeline's
     * longest line is a gate or a flow-style stage, a few hundred characters.
     */
    static final int MAX_LINE_CHARS = 100_000;

    static final String FILE_FIX = "a pipeline needs far less (the examples are under 4 KB): move long text out of the"
            + " YAML (descriptions, long lists), or split the pipeline";

    private SpecLimits() {
    }

    /** The message for a file over {@link #MAX_FILE_BYTES}; {@code size} is its size in bytes, or negative if unknown. */
    static String fileTooLarge(long size) {
        return "the file is " + (size >= 0 ? String.format("%,d bytes", size) : "larger than that")
                + String.format("; a pipeline file may be at most %,d bytes (the registry keeps the whole file with every"
                + " run)", MAX_FILE_BYTES);
    }

    /** Reports the first line longer than {@link #MAX_LINE_CHARS}; false when there is one (the text is not parsed). */
    static boolean linesFit(String text, Problems problems) {
        int line = 1;
        int start = 0;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            // A line ends at \n, \r\n or a lone \r, as YAML counts lines.
            boolean end = i == n || text.charAt(i) == '\n'
                    || (text.charAt(i) == '\r' && (i + 1 == n || text.charAt(i + 1) != '\n'));
            if (!end) {
                continue;
            }
            int length = i - start - (i > start && i < n && text.charAt(i) == '\n' && text.charAt(i - 1) == '\r' ? 1 : 0);
            if (length > MAX_LINE_CHARS) {
                problems.add(new Position(line, MAX_LINE_CHARS + 1), String.format("line %d is %,d characters long; a"
                        + " line may be at most %,d", line, length, MAX_LINE_CHARS), "break the text over several"
                        + " lines (a YAML string continues on the next, more indented line)");
                return false;
            }
            line++;
            start = i + 1;
        }
        return true;
    }

    /** The pipeline file's path is recorded with every run. */
    static void checkFilePath(Path file, Problems problems) {
        int length = file.toString().length();
        if (length > RegistryLimits.FILE_PATH) {
            problems.add(Position.start(), "the path of the pipeline file is " + length + " characters long; the registry"
                    + " records paths of at most " + RegistryLimits.FILE_PATH, "move the file to a shorter path");
        }
    }

    /**
     * Whether {@code value} fits {@code limit} characters; if not, reports it at {@code node}, naming {@code what}, its
     * length and the limit, and quoting only its start.
     */
    static boolean fits(String value, int limit, String what, Node node, Problems problems) {
        return fits(value, limit, what, Nodes.position(node), problems);
    }

    static boolean fits(String value, int limit, String what, Position position, Problems problems) {
        if (value == null || value.length() <= limit) {
            return true;
        }
        problems.add(position, what + " '" + RegistryLimits.preview(value) + "' is " + value.length()
                + " characters long; at most " + limit + " are allowed (the registry stores it in a column of that size)",
                "shorten it to " + limit + " characters or fewer");
        return false;
    }

    /** A stage's {@code with:} block is stored as canonical JSON with every run of the stage. */
    static void checkConfigJson(String json, String stageId, Position withPosition, Problems problems) {
        if (json.length() > RegistryLimits.LARGE_TEXT) {
            problems.add(withPosition, "stage '" + stageId + "': its 'with:' block is " + json.length()
                    + " characters long as JSON; at most " + RegistryLimits.LARGE_TEXT + " are allowed (the registry"
                    + " stores it with every run)", "make the configuration smaller");
        }
    }

    /** A stage that produces a model registers it as {@code <pipeline name>/<stage id>}. */
    static void checkModelName(String pipelineName, String stageId, Position position, Problems problems) {
        String name = pipelineName + "/" + stageId;
        if (pipelineName.length() <= RegistryLimits.PIPELINE_NAME && name.length() > RegistryLimits.MODEL_NAME) {
            problems.add(position, "stage '" + stageId + "' registers its model as '"
                    + RegistryLimits.preview(name) + "', " + name.length() + " characters long; model names"
                    + " (<pipeline name>/<stage id>) may be at most " + RegistryLimits.MODEL_NAME + " characters",
                    "shorten the stage id or metadata.name");
        }
    }
}

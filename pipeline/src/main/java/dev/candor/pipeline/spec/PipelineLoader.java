package dev.candor.pipeline.spec;

import dev.candor.stages.spi.ArtifactKind;
import dev.candor.stages.spi.Stage;
import dev.candor.stages.spi.StageCatalog;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads a pipeline file: parses it (keeping every node's line and column), checks it, binds each stage's
 * {@code with:} block to the stage's config record, resolves implied inputs, and checks the gates against the results
 * the stages declare. Every mistake in the file is
 * reported at once, each as {@code file:line:col: what is wrong — how to fix it}.
 *
 * <p>Data files named by the pipeline must lie under a data root: the pipeline file's directory (and below), and
 * any further roots given here — from {@value #DATA_ROOTS_ENV} or a command-line option, see
 * {@link #parseDataRoots(String)}.
 */
public final class PipelineLoader {
    /** The environment variable listing extra data roots, separated like PATH ({@code :} or {@code ;} on Windows). */
    public static final String DATA_ROOTS_ENV = "CANDOR_DATA_ROOTS";

    private static final Logger LOG = LoggerFactory.getLogger(PipelineLoader.class);

    private final StageCatalog catalog;
    private final List<Path> extraDataRoots;

    /**
     * @param catalog        the stage types a pipeline may use
     * @param extraDataRoots directories besides the pipeline file's own from which data files may be read
     */
    public PipelineLoader(StageCatalog catalog, List<Path> extraDataRoots) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.extraDataRoots = extraDataRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    public PipelineLoader(StageCatalog catalog) {
        this(catalog, List.of());
    }

    /** The directories in a {@value #DATA_ROOTS_ENV}-style list; empty for null or blank. */
    public static List<Path> parseDataRoots(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(File.pathSeparator))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .toList();
    }

    /**
     * Reads and validates a pipeline file.
     *
     * @throws SpecException with every mistake in the file, by line (a missing or unreadable file is one error)
     */
    public PipelineSpec load(Path file) throws SpecException {
        Path absolute = file.toAbsolutePath().normalize();
        byte[] bytes;
        try {
            // Size first, and never more than the limit read: a 20 MB file is refused without reading it, and a file
            // that grows (or a device such as /dev/zero, whose size says 0) stops at the limit.
            if (Files.size(absolute) > SpecLimits.MAX_FILE_BYTES) {
                throw single(absolute, SpecLimits.fileTooLarge(Files.size(absolute)), SpecLimits.FILE_FIX);
            }
            try (InputStream in = Files.newInputStream(absolute)) {
                bytes = in.readNBytes(SpecLimits.MAX_FILE_BYTES + 1);
            }
            if (bytes.length > SpecLimits.MAX_FILE_BYTES) {
                throw single(absolute, SpecLimits.fileTooLarge(-1), SpecLimits.FILE_FIX);
            }
        } catch (NoSuchFileException e) {
            throw single(absolute, "no such file", "check the path of the pipeline file");
        } catch (IOException e) {
            throw single(absolute, "cannot read the file: " + e.getMessage(), "check that it is a readable file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw single(absolute, "the file is not UTF-8 text", "save it as UTF-8");
        }
        return parse(absolute, text, bytes);
    }

    /**
     * Validates pipeline text that is not (or not yet) a file, such as a pipeline submitted on the dashboard.
     *
     * @param file where the text belongs: names it in errors, and relative data paths start at its directory
     */
    public PipelineSpec parse(Path file, String yamlText) throws SpecException {
        Path absolute = file.toAbsolutePath().normalize();
        // Characters bound bytes from below: a text longer than the limit in characters is too large in bytes too.
        if (yamlText.length() > SpecLimits.MAX_FILE_BYTES) {
            throw single(absolute, SpecLimits.fileTooLarge(-1), SpecLimits.FILE_FIX);
        }
        byte[] bytes = yamlText.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > SpecLimits.MAX_FILE_BYTES) {
            throw single(absolute, SpecLimits.fileTooLarge(bytes.length), SpecLimits.FILE_FIX);
        }
        return parse(absolute, yamlText, bytes);
    }

    private PipelineSpec parse(Path file, String text, byte[] bytes) throws SpecException {
        Problems problems = new Problems(file);
        SpecLimits.checkFilePath(file, problems);
        if (!SpecLimits.linesFit(text, problems)) {
            throw problems.exception();
        }
        Optional<Node> root = YamlParser.parse(text, file.toString(), problems);
        if (root.isEmpty()) {
            throw problems.exception();
        }
        SpecReader.Document document = new SpecReader(catalog, problems).read(root.get());
        Map<String, List<String>> resolvedInputs = new StageGraph(document.stages(), problems).resolve();
        // After structural mistakes (a stage that is not a map, a duplicate id) a stage may be missing from what was
        // read: a gate naming it is then not reported as naming an unknown stage.
        boolean stagesIntact = problems.isEmpty();
        Path baseDir = file.getParent() == null ? Path.of("").toAbsolutePath() : file.getParent();
        DataRoots dataRoots = DataRoots.of(baseDir, extraDataRoots);
        ConfigBinder binder = new ConfigBinder(new DataPaths(dataRoots), problems);
        List<StageSpec> stages = new ArrayList<>();
        Map<String, GateChecker.StageResults> gateable = new LinkedHashMap<>();
        for (StageDraft draft : document.stages()) {
            Optional<String> written = draft.id().or(draft::writtenId);
            written.ifPresent(w -> gateable.putIfAbsent(w, GateChecker.StageResults.unknown()));
            if (draft.stage().isEmpty()) {
                continue;
            }
            Stage<?> stage = draft.stage().get();
            String id = written.orElse("?");
            if (stage.output() == ArtifactKind.MODEL && draft.id().isPresent()) {
                SpecLimits.checkModelName(document.metadata().name(), id, draft.position(), problems);
            }
            Optional<ConfigBinder.Binding> binding =
                    binder.bind(stage.configType(), draft.withNode(), draft.withPosition(), id, stage.type());
            if (binding.isPresent() && draft.id().isPresent()) {
                String configJson = CanonicalJson.of(draft.withNode());
                SpecLimits.checkConfigJson(configJson, id, draft.withPosition(), problems);
                stages.add(new StageSpec(id, stage.type(), draft.inputs(), resolvedInputs.get(id),
                        binding.get().config(), configJson, binding.get().dataFiles(), draft.position()));
                gateable.put(id, new GateChecker.StageResults(stage.type(), Optional.of(results(stage, binding.get().config()))));
            }
        }
        new GateChecker(problems, gateable, stagesIntact).check(document.gates());
        if (!problems.isEmpty()) {
            throw problems.exception();
        }
        PipelineSpec spec = new PipelineSpec(file, text, sha256(bytes), document.metadata(), document.seed(),
                document.runner(), document.device(), stages, document.gates(), dataRoots);
        LOG.debug("loaded pipeline {} ({} stages, sha256 {}) from {}", spec.metadata().name(), stages.size(),
                spec.sha256(), file);
        return spec;
    }

    @SuppressWarnings("unchecked")
    private static List<String> results(Stage<?> stage, Record config) {
        return List.copyOf(((Stage<Record>) stage).results(config));
    }

    private static SpecException single(Path file, String message, String fix) {
        return new SpecException(List.of(new SpecError(file, Position.start(), message, fix)));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

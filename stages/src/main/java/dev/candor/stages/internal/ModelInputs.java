package dev.candor.stages.internal;

import dev.candor.gpu.session.Device;
import dev.candor.gpu.session.OpenSession;
import dev.candor.gpu.session.OrtSessions;
import dev.candor.gpu.session.SessionSettings;
import dev.candor.stages.data.ColumnType;
import dev.candor.stages.data.DatasetSchema;
import dev.candor.stages.data.Datasets;
import dev.candor.stages.model.EncodedFeature;
import dev.candor.stages.model.ModelMetadata;
import dev.candor.stages.spi.DataException;
import dev.candor.stages.spi.Excerpt;
import dev.candor.stages.spi.InputArtifact;
import java.nio.file.Path;
import java.util.Locale;

/** What every stage that feeds a dataset to a model artifact checks first: the model opens, and the data fit it. */
public final class ModelInputs {

    /**
     * A model artifact opened once: its metadata and where ONNX Runtime placed it.
     *
     * @param file     the {@code model.onnx} file
     * @param metadata its Candor metadata
     * @param where    the execution provider, in words
     */
    public record Probed(Path file, ModelMetadata metadata, String where) {
    }

    private ModelInputs() {
    }

    /** Opens the model once, before Beam starts, to check the file and the device and to read its metadata. */
    public static Probed probe(InputArtifact model, Device device) throws Exception {
        Path file = model.path().resolve(ModelMetadata.MODEL_FILE);
        try (OpenSession probe = OrtSessions.open(file, SessionSettings.defaults().withDevice(device).withIntraOpThreads(1))) {
            return new Probed(file, ModelMetadata.fromProperties(probe.session().getMetadata().getCustomMetadata()),
                    probe.where());
        }
    }

    /** The model must know every label class of the data and find every column its encoder reads, of the right type. */
    public static void checkCompatible(ModelMetadata model, DatasetSchema schema, InputArtifact modelArtifact,
                                       InputArtifact dataArtifact) {
        String schemaFile = dataArtifact.path().resolve(Datasets.SCHEMA_FILE).toString();
        for (String c : schema.classes()) {
            if (!model.labels().contains(c)) {
                throw new DataException(schemaFile, 0, schema.label(), c, "a class of model '"
                        + modelArtifact.producer() + "', whose labels are [" + Excerpt.list(model.labels()) + "]"
                        + "; use the model on data with the label classes it was trained on");
            }
        }
        for (EncodedFeature f : model.encoder().features()) {
            boolean present = schema.columns().stream().anyMatch(col -> col.name().equals(f.column()));
            if (!present) {
                throw new DataException(schemaFile, 0, f.column(), null, "a column that model '"
                        + modelArtifact.producer() + "' reads (feature '" + f.name() + "'); the dataset lacks it");
            }
            ColumnType type = schema.column(f.column()).type();
            ColumnType needed = f.kind() == EncodedFeature.Kind.STANDARDIZED ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
            if (type != needed) {
                throw new DataException(schemaFile, 0, f.column(), type.name().toLowerCase(Locale.ROOT), "a "
                        + needed.name().toLowerCase(Locale.ROOT) + " column, as model '" + modelArtifact.producer()
                        + "' encodes it (" + f.kind().name().toLowerCase(Locale.ROOT) + ")");
            }
        }
    }
}

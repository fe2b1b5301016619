package dev.candor.pipeline.exec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The engine's version, from the build (it is part of every fingerprint). */
public final class EngineVersion {
    private static final String VERSION = load();

    private EngineVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = EngineVersion.class.getResourceAsStream("/dev/candor/pipeline/engine.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}

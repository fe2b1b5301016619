package dev.candor.registry.home;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.Set;

/** Where classes were loaded from (a jar or a classes directory), to start a JVM with just those on its class path. */
final class ClassPaths {
    private ClassPaths() {
    }

    static String of(Class<?>... classes) {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : classes) entries.add(locate(c).toString());
        return String.join(File.pathSeparator, entries);
    }

    static Path locate(Class<?> c) {
        try {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
                return Path.of(source.getLocation().toURI());
            }
            // Class loaders that give no code source (some application servers): read it off the class file's URL.
            String resource = c.getName().replace('.', '/') + ".class";
            URL url = c.getClassLoader().getResource(resource);
            if (url == null) throw new IllegalStateException("cannot find " + resource + " on the class path");
            String s = url.toString();
            if (s.startsWith("jar:file:")) {
                return Path.of(new java.net.URI(s.substring(4, s.indexOf("!/"))));
            }
            if (s.startsWith("file:")) {
                Path file = Path.of(url.toURI());
                for (int i = 0; i < c.getName().split("\\.").length; i++) file = file.getParent();
                return file;
            }
            throw new IllegalStateException("cannot start the registry server: " + c.getName() + " was loaded from " + s
                    + ", not from a jar or directory");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + c.getName(), e);
        }
    }
}

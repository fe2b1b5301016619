package dev.candor.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Small builders for registry tests, and plain-JDBC reads of what the registry API does not return. */
final class Fixtures {
    private Fixtures() {
    }

    static String sha(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static NewRun newRun(String pipeline, String yaml) {
        return new NewRun(pipeline, pipeline + ".yaml", yaml, sha(yaml), 7L, "direct", "cpu", "0.1.0-test", "alice");
    }

    static StageStart stage(String id, String type, int position, String fingerprintSeed) {
        return new StageStart(id, type, position, sha(fingerprintSeed), "{\"stage\":\"" + id + "\"}", "{\"in\":\"" + fingerprintSeed + "\"}");
    }

    static ArtifactRecord artifact(String kind, String content) {
        return new ArtifactRecord(null, kind, "file:///artifacts/" + sha(content), sha(content), content.length(),
                Map.of("rows", String.valueOf(content.length())));
    }

    /** Each row of a query, its columns joined with '|'. */
    static List<String> rows(DbConfig config, String sql, Object... params) {
        try (Connection c = RegistryDb.connection(config);
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int col = 1; col <= n; col++) {
                        row.append(col > 1 ? "|" : "").append(rs.getString(col));
                    }
                    out.add(row.toString());
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }
}

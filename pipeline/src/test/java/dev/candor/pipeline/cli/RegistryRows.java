package dev.candor.pipeline.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The integration tests' view of what a run left in the registry: the rows of a query, columns joined with '|'. */
final class RegistryRows {
    private RegistryRows() {
    }

    static List<String> query(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int col = 1; col <= n; col++) row.append(col > 1 ? "|" : "").append(rs.getString(col));
                    out.add(row.toString());
                }
            }
            return out;
        }
    }
}

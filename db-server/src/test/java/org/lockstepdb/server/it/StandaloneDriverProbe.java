package org.lockstepdb.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Run in a JVM whose class path is only the self-contained driver jar (plus this class): uses nothing but
 * java.sql, as a tool that drops the jar into its class path would. Prints the answer; exit 0 on success.
 */
public final class StandaloneDriverProbe {
    private StandaloneDriverProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0]); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE probe (id INT PRIMARY KEY, v VARCHAR(10))");
            s.executeUpdate("INSERT INTO probe VALUES (1, 'standalone')");
            try (ResultSet rs = s.executeQuery("SELECT v FROM probe WHERE id = 1")) {
                rs.next();
                System.out.println("answer=" + rs.getString(1));
            }
        }
    }
}

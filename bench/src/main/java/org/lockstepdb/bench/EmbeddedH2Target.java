package org.lockstepdb.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The single-machine baseline: an embedded H2 file database in a temporary directory, each client with its own
 * connection to it. Closing deletes the directory (H2 closes the database with its last connection).
 */
public final class EmbeddedH2Target implements AutoCloseable, WorkloadRunner.ConnectionSource {
    private final Path dir;
    private final String url;

    private EmbeddedH2Target(Path dir) {
        this.dir = dir;
        this.url = "jdbc:h2:file:" + dir.resolve("bench").toAbsolutePath();
    }

    public static EmbeddedH2Target create() {
        return new EmbeddedH2Target(TempDirs.create("lockstep-bench-h2-"));
    }

    public String url() {
        return url;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    @Override
    public void close() throws IOException {
        TempDirs.deleteRecursively(dir);
    }
}

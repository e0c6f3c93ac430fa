package org.lockstepdb.storage;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.tools.CompressTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pinned, consistent view of the database at one applied index, to be written to a snapshot/backup file.
 *
 * <p>Obtained from {@link #begin(SqlStore)} on the apply thread (cheap: one connection, one small transaction,
 * the schema script). {@link #writeTo(Path)} may then run on any other thread while the store keeps applying
 * entries; it writes exactly the state at {@link #appliedIndex()}, and the client calls remembered at that index.
 * Single use; always {@link #close()} it (writeTo closes it too).
 *
 * <p>An export overlapping a DDL entry (or a restore) fails with an {@link IOException}: H2's schema is not
 * versioned like its rows, so the export cannot see the old schema ({@link PinnedState}). Take a new snapshot then.
 *
 * <p>While an export runs, H2 keeps the row versions it needs, so the database file may grow temporarily.
 */
public final class SnapshotExport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotExport.class);
    private static final String INTERMEDIATE_COMPRESSION = "LZF";

    private final PinnedState pinned;
    private final Connection connection;
    private final AppliedIndex appliedIndex;
    private final List<String> schemas;
    private final DumpAssembler.PinnedDdl pinnedDdl;
    private final long createdMillis;
    private final AtomicBoolean used = new AtomicBoolean();

    private SnapshotExport(PinnedState pinned, List<String> schemas, DumpAssembler.PinnedDdl pinnedDdl, long createdMillis) {
        this.pinned = pinned;
        this.connection = pinned.connection();
        this.appliedIndex = pinned.appliedIndex();
        this.schemas = List.copyOf(schemas);
        this.pinnedDdl = pinnedDdl;
        this.createdMillis = createdMillis;
    }

    /**
     * Pins the store's current state for a snapshot or backup. Call it on the apply thread, between entries: it
     * takes one H2 connection, reads the schema script and the applied index in a SNAPSHOT transaction, and
     * returns. Then {@link #writeTo(Path)} may run on another thread while apply continues.
     *
     * @throws IOException if the store is closed or failed, or a restore is being staged through the log (a
     *                     snapshot must never fall between the chunks of a restore; commit or abort it first)
     */
    public static SnapshotExport begin(SqlStore store) throws IOException {
        return PinnedState.open(store.writer(), store.sessions(), "snapshot", c -> {
            if (!RestoreStaging.list(c).isEmpty()) { // cheap early refusal, before the schema capture below
                throw new IOException("cannot snapshot while a restore is being staged through the log; "
                        + "commit or abort it first");
            }
            List<String> schemas = SystemSchemas.userSchemas(c);
            // SCRIPT commits: the pin comes next
            DumpAssembler.PinnedDdl ddl = DumpAssembler.captureDdl(c, schemas);
            PinnedState pinned = PinnedState.pinHere(c, store.writer());
            List<StagedRestore> staged = RestoreStaging.list(c);
            if (!staged.isEmpty()) {
                throw new IOException("cannot snapshot while a restore is being staged through the log ("
                        + staged.get(0).restoreId() + "); commit or abort it first");
            }
            return new SnapshotExport(pinned, schemas, ddl, System.currentTimeMillis());
        });
    }

    /** The term and index of the last entry the export contains. */
    public AppliedIndex appliedIndex() {
        return appliedIndex;
    }

    /**
     * Writes the pinned state to {@code file} (replaced atomically if it exists). Uses temporary files next to
     * it: {@code file.tmp}, {@code file.calls.tmp} (the client calls) and {@code file.script.tmp} (H2's own script,
     * LZF-compressed), each at most about the size of the result.
     *
     * @return the verified header of the written file
     * @throws IOException if the export failed, e.g. because the schema changed meanwhile or the store was
     *                     closed or restored; nothing is left at {@code file} then
     */
    public SnapshotHeader writeTo(Path file) throws IOException {
        if (pinned.isClosed() || !used.compareAndSet(false, true)) {
            throw new IllegalStateException("a SnapshotExport can be written only once, and not after close()");
        }
        Path target = file.toAbsolutePath();
        Path script = target.resolveSibling(target.getFileName() + ".script.tmp");
        Path calls = target.resolveSibling(target.getFileName() + ".calls.tmp");
        long started = System.nanoTime();
        try {
            Files.createDirectories(target.getParent());
            exportClientCalls(calls); // still in the pinned snapshot: SCRIPT below ends it
            runScript(script); // reads the pinned snapshot; H2 commits (ends the snapshot) after it
            long scriptDone = System.nanoTime();
            checkSchemaUnchanged();
            SnapshotHeader header;
            try (SnapshotFile.Writer writer = SnapshotFile.create(target, appliedIndex.term(), appliedIndex.index(),
                    createdMillis);
                 InputStream raw = new BufferedInputStream(Files.newInputStream(script), 1 << 16);
                 InputStream in = CompressTool.wrapInputStream(raw, INTERMEDIATE_COMPRESSION, "script.sql");
                 Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                Writer out = new BufferedWriter(new OutputStreamWriter(writer.payload(), StandardCharsets.UTF_8), 1 << 16);
                DumpAssembler.of(pinnedDdl).assemble(reader, out);
                appendFile(calls, out); // the version-2 section: LOCKSTEP_SYS.CLIENT_CALLS rows
                out.flush();
                checkSchemaUnchanged();
                header = writer.finish();
            } catch (DumpAssembler.SchemaChangedException e) {
                throw new IOException("snapshot export at index " + appliedIndex.index() + " failed: "
                        + e.getMessage() + "; take a new snapshot", e);
            }
            LOG.info("Wrote snapshot {} at applied index {}: {} bytes in {} ms (H2 script {} ms)", target,
                    appliedIndex, header.sizeBytes(), (System.nanoTime() - started) / 1_000_000,
                    (scriptDone - started) / 1_000_000);
            return header;
        } catch (SQLException e) {
            throw new IOException("snapshot export at index " + appliedIndex.index() + " failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(calls);
            close();
        }
    }

    private void exportClientCalls(Path calls) throws SQLException, IOException {
        try (Writer out = Files.newBufferedWriter(calls, StandardCharsets.UTF_8)) {
            ClientCallsTable.exportInserts(connection, out);
        }
    }

    private static void appendFile(Path file, Writer out) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.transferTo(out);
        }
    }

    private void runScript(Path script) throws SQLException, IOException {
        Files.deleteIfExists(script);
        String path = script.toString().replace("'", "''");
        try (Statement s = connection.createStatement()) {
            s.execute("SCRIPT " + DumpAssembler.SCRIPT_OPTIONS + " TO '" + path + "' COMPRESSION "
                    + INTERMEDIATE_COMPRESSION + DumpAssembler.schemaClause(schemas));
        }
    }

    private void checkSchemaUnchanged() throws IOException {
        if (pinned.schemaChanged()) {
            throw new IOException("snapshot export at index " + appliedIndex.index() + " failed: a schema change "
                    + "or restore was applied while it ran; take a new snapshot");
        }
    }

    /** Releases the pinned snapshot. Idempotent; call it instead of writeTo to abandon the export. */
    @Override
    public void close() {
        pinned.close();
    }
}

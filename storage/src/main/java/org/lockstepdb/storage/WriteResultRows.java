package org.lockstepdb.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.Value;

/**
 * Collects the rows a write sends back — a statement's generated keys, or the result set of a query that writes
 * ({@code SELECT NEXT VALUE FOR s}, {@code SELECT … FROM FINAL TABLE (INSERT …)}) — over all its executions,
 * within {@link #MAX_ROWS} rows and {@link #MAX_BYTES} encoded bytes. Beyond either the entry fails with SQLState
 * 54000 and changes nothing. Both limits are properties of the data, never of the replica (no memory or timing
 * check), so a write fails for its size on every replica or on none.
 */
final class WriteResultRows {
    /**
     * Most rows: H2 keeps at most this many result rows in memory ({@link H2Sessions#RESULT_ROWS_IN_MEMORY}) and
     * cannot read generated keys back reliably from disk.
     */
    static final int MAX_ROWS = H2Sessions.RESULT_ROWS_IN_MEMORY;
    /** Most encoded bytes of one statement's rows (encoded size of the values). */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    /** What the rows are, for the error message: "generated keys" or "rows". */
    private final String what;
    /** What the user can do about too many, for the error message. */
    private final String advice;
    private List<ColumnMeta> columns;
    private final List<List<Value>> rows = new ArrayList<>();
    private long bytes;

    private WriteResultRows(String what, String advice) {
        this.what = what;
        this.advice = advice;
    }

    static WriteResultRows generatedKeys() {
        return new WriteResultRows("generated keys", "Insert fewer rows per statement, or do not ask for generated "
                + "keys");
    }

    static WriteResultRows queryRows() {
        return new WriteResultRows("rows", "Make the statement return fewer rows (draw fewer sequence values, change "
                + "fewer rows through FINAL/NEW/OLD TABLE)");
    }

    /** Adds the rows of one execution (reads at most one row past {@link #MAX_ROWS} in all). */
    void add(ResultSet rs) throws SQLException {
        ResultData data;
        try {
            data = ResultSetReader.read(rs, MAX_BYTES - bytes, MAX_ROWS + 1 - rows.size());
        } catch (ResultTooLargeException e) {
            throw tooMany("more than " + MAX_BYTES + " bytes of " + what);
        }
        if (columns == null) {
            columns = data.columns();
        }
        rows.addAll(data.rows());
        for (List<Value> row : data.rows()) {
            for (Value v : row) {
                bytes += EncodedSize.of(v);
            }
        }
        if (rows.size() > MAX_ROWS) {
            throw tooMany("more than " + MAX_ROWS + " " + what);
        }
    }

    /** Refuses before reading when the statement changed more rows than keys may be returned. */
    void checkRowCount(List<Long> updateCounts) throws SQLException {
        long changed = 0;
        for (long n : updateCounts) {
            changed += n;
        }
        if (changed > MAX_ROWS) {
            throw tooMany(what + " for " + changed + " changed rows, more than " + MAX_ROWS);
        }
    }

    private SQLException tooMany(String description) {
        return new SQLException("the statement returns " + description + "; the whole write was rolled back. "
                + advice, StoreSqlStates.TOO_LARGE);
    }

    ResultData toResultData() {
        return columns == null ? ResultData.empty() : new ResultData(columns, rows);
    }
}

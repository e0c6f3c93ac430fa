package org.lockstepdb.protocol;

import java.util.List;

/**
 * One SQL statement of a write, executed once per parameter set (a JDBC batch of one prepared statement is a
 * single {@code SqlStatement} with many parameter sets). An empty {@code parameterSets} list means "execute
 * once without parameters".
 *
 * @param generatedKeyColumns {@code null}: no generated keys wanted; empty: the table's generated keys
 *                            ({@code Statement.RETURN_GENERATED_KEYS}); otherwise the named columns
 */
public record SqlStatement(String sql, List<List<Value>> parameterSets, List<String> generatedKeyColumns) {
    public SqlStatement {
        if (sql == null) {
            throw new IllegalArgumentException("sql must not be null");
        }
        parameterSets = List.copyOf(parameterSets);
        generatedKeyColumns = generatedKeyColumns == null ? null : List.copyOf(generatedKeyColumns);
    }

    public static SqlStatement of(String sql) {
        return new SqlStatement(sql, List.of(), null);
    }

    public static SqlStatement of(String sql, List<Value> parameters) {
        return new SqlStatement(sql, List.of(parameters), null);
    }

    public boolean wantsGeneratedKeys() {
        return generatedKeyColumns != null;
    }

    /** How many times the statement runs: once per parameter set, and at least once. */
    public int executions() {
        return Math.max(1, parameterSets.size());
    }
}

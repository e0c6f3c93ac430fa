package org.lockstepdb.protocol;

import java.util.List;

/**
 * One SQL statement of a write, executed once per parameter set (a JDBC batch of one prepared statement is a
 * single {@code SqlStatement} with many parameter sets). An empty {@code parameterSets} list means "execute
 * once without parameters".
 *
 * @param generatedKeys which generated keys the statement asks back
 */
public record SqlStatement(String sql, List<List<Value>> parameterSets, GeneratedKeyRequest generatedKeys) {
    public SqlStatement {
        if (sql == null) {
            throw new IllegalArgumentException("sql must not be null");
        }
        parameterSets = List.copyOf(parameterSets);
        if (generatedKeys == null) {
            throw new IllegalArgumentException("generatedKeys must not be null (GeneratedKeyRequest.NONE for none)");
        }
    }

    public static SqlStatement of(String sql) {
        return new SqlStatement(sql, List.of(), GeneratedKeyRequest.NONE);
    }

    public static SqlStatement of(String sql, List<Value> parameters) {
        return new SqlStatement(sql, List.of(parameters), GeneratedKeyRequest.NONE);
    }

    public boolean wantsGeneratedKeys() {
        return generatedKeys.wanted();
    }

    /** How many times the statement runs: once per parameter set, and at least once. */
    public int executions() {
        return Math.max(1, parameterSets.size());
    }
}

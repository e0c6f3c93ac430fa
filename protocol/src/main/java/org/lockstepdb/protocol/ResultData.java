package org.lockstepdb.protocol;

import java.util.List;

/** A complete, materialized result set: its columns and its rows (each row one value per column). */
public record ResultData(List<ColumnMeta> columns, List<List<Value>> rows) {
    public ResultData {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        for (List<Value> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " values for " + columns.size() + " columns");
            }
        }
    }

    public static ResultData empty() {
        return new ResultData(List.of(), List.of());
    }
}

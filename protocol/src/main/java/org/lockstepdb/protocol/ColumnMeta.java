package org.lockstepdb.protocol;

/**
 * A result column, enough for {@code ResultSetMetaData}.
 *
 * @param valueType how the column's values travel on the wire
 * @param jdbcType  the {@link java.sql.Types} code H2 reported
 * @param typeName  the SQL type name H2 reported (e.g. {@code CHARACTER VARYING})
 * @param nullable  one of {@code ResultSetMetaData.columnNoNulls/columnNullable/columnNullableUnknown}
 */
public record ColumnMeta(String label, String name, String schema, String table, ValueType valueType,
                         int jdbcType, String typeName, int precision, int scale, int nullable) {
    public ColumnMeta {
        label = nonNull(label);
        name = nonNull(name);
        schema = nonNull(schema);
        table = nonNull(table);
        typeName = nonNull(typeName);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}

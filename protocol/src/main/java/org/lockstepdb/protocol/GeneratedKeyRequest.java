package org.lockstepdb.protocol;

import java.util.List;

/**
 * Which generated keys a write statement asks back: none, the table's generated keys (JDBC
 * {@code Statement.RETURN_GENERATED_KEYS}), or the named columns ({@code executeUpdate(sql, String[])}).
 *
 * @param kind    which of the three
 * @param columns the column names for {@link Kind#NAMED} (never empty); empty for the other kinds
 */
public record GeneratedKeyRequest(Kind kind, List<String> columns) {
    /** The three answers a statement can give to "which generated keys do you want?". */
    public enum Kind {
        /** No generated keys: the statement runs as a plain update. */
        NONE,
        /** The table's generated keys (identity and defaulted key columns), as H2 chooses them. */
        TABLE_KEYS,
        /** Exactly the named columns of the changed rows. */
        NAMED
    }

    public static final GeneratedKeyRequest NONE = new GeneratedKeyRequest(Kind.NONE, List.of());
    public static final GeneratedKeyRequest TABLE_KEYS = new GeneratedKeyRequest(Kind.TABLE_KEYS, List.of());

    public GeneratedKeyRequest {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        columns = List.copyOf(columns);
        if ((kind == Kind.NAMED) == columns.isEmpty()) {
            throw new IllegalArgumentException(kind + " with columns " + columns);
        }
    }

    /** The named columns; an empty list is the table's generated keys ({@link #TABLE_KEYS}). */
    public static GeneratedKeyRequest columns(List<String> names) {
        return names.isEmpty() ? TABLE_KEYS : new GeneratedKeyRequest(Kind.NAMED, names);
    }

    /** True unless {@link Kind#NONE}. */
    public boolean wanted() {
        return kind != Kind.NONE;
    }
}

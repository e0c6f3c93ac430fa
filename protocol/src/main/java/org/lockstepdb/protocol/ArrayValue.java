package org.lockstepdb.protocol;

import java.util.List;

/**
 * The value of an SQL ARRAY cell or parameter (wire format 6 and later).
 *
 * @param baseJdbcType  the {@link java.sql.Types} code of the element type, as H2 reports it ({@code Array.getBaseType})
 * @param baseTypeName  the element type's SQL name without length, e.g. {@code CHARACTER VARYING}; nested arrays
 *                      have {@code INTEGER ARRAY}
 * @param elements      the elements in order, each a typed value (NULL elements are {@link Value#NULL})
 */
public record ArrayValue(int baseJdbcType, String baseTypeName, List<Value> elements) {
    /** Arrays nest at most this deep on the wire: a hostile message must not recurse until the stack ends. */
    public static final int MAX_DEPTH = 32;

    public ArrayValue {
        baseTypeName = baseTypeName == null ? "" : baseTypeName;
        elements = List.copyOf(elements);
    }
}

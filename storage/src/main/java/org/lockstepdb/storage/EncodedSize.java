package org.lockstepdb.storage;

import org.lockstepdb.protocol.ArrayValue;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.Value;

/**
 * The number of bytes a value or column takes in the protocol's wire encoding, computed without encoding it:
 * used to stop materializing a query result before it exceeds the reply size limit.
 */
final class EncodedSize {
    private EncodedSize() {
    }

    static long of(Value v) {
        Object o = v.value();
        long payload = switch (v.type()) {
            case NULL -> 0;
            case BOOLEAN, TINYINT -> 1;
            case SMALLINT, INTEGER, REAL -> 4;
            case BIGINT, DOUBLE, DATE, TIME -> 8;
            case DECIMAL -> 4 + 4 + ((java.math.BigDecimal) o).unscaledValue().bitLength() / 8 + 1;
            case CHAR, VARCHAR, CLOB -> 4 + utf8Length((String) o);
            case VARBINARY, BLOB, JSON -> 4 + ((byte[]) o).length;
            case TIME_WITH_TIME_ZONE -> 12;
            case TIMESTAMP -> 16;
            case TIMESTAMP_WITH_TIME_ZONE -> 20;
            case UUID -> 16;
            case ARRAY -> {
                ArrayValue a = (ArrayValue) o;
                long n = 4 + 4 + utf8Length(a.baseTypeName()) + 4;
                for (Value e : a.elements()) {
                    n += of(e);
                }
                yield n;
            }
            case INTERVAL -> 1 + 1 + 8 + 8;
        };
        return 1 + payload; // the type tag
    }

    static long of(ColumnMeta c) {
        return 4 * 6 + 1 + utf8Length(c.label()) + utf8Length(c.name()) + utf8Length(c.schema())
                + utf8Length(c.table()) + utf8Length(c.typeName());
    }

    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}

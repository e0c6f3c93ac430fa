package org.lockstepdb.storage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.h2.api.H2Type;
import org.lockstepdb.protocol.Value;

/**
 * Binds protocol {@link Value}s to H2 statement parameters.
 *
 * <p>Dates and times are bound as java.time objects, never java.sql.Timestamp/Date, whose conversion depends
 * on the JVM default time zone. JSON is bound with {@link H2Type#JSON} so the bytes are parsed as JSON text; a
 * String bound to a JSON column would be stored as a JSON string literal instead.
 */
final class ParameterBinder {
    private ParameterBinder() {
    }

    static void bind(PreparedStatement ps, List<Value> parameters) throws SQLException {
        ps.clearParameters(); // a shorter parameter set must not inherit values of the previous execution
        for (int i = 0; i < parameters.size(); i++) {
            bind(ps, i + 1, parameters.get(i));
        }
    }

    private static void bind(PreparedStatement ps, int index, Value v) throws SQLException {
        Object o = v.value();
        switch (v.type()) {
            case NULL -> ps.setNull(index, Types.NULL);
            case VARBINARY, BLOB -> ps.setBytes(index, (byte[]) o);
            case CLOB -> ps.setString(index, (String) o);
            case JSON -> ps.setObject(index, o, H2Type.JSON);
            // the remaining Java classes (Boolean, Byte, ..., BigDecimal, String, java.time.*, UUID) map directly
            default -> ps.setObject(index, o);
        }
    }
}

package org.lockstepdb.storage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.h2.api.H2Type;
import org.h2.api.Interval;
import org.h2.api.IntervalQualifier;
import org.lockstepdb.protocol.ArrayValue;
import org.lockstepdb.protocol.IntervalValue;
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

    /** H2 makes an ARRAY of an {@code Object[]}, each element converted as {@code setObject} would. */
    private static Object[] javaArray(ArrayValue a) {
        Object[] elements = new Object[a.elements().size()];
        for (int i = 0; i < elements.length; i++) {
            Value e = a.elements().get(i);
            elements[i] = switch (e.type()) {
                case ARRAY -> javaArray((ArrayValue) e.value());
                case INTERVAL -> interval((IntervalValue) e.value());
                case JSON -> new String((byte[]) e.value(), java.nio.charset.StandardCharsets.UTF_8);
                default -> e.value();
            };
        }
        return elements;
    }

    private static Interval interval(IntervalValue i) {
        return new Interval(IntervalQualifier.valueOf(i.qualifier().name()), i.negative(), i.leading(), i.remaining());
    }

    private static void bind(PreparedStatement ps, int index, Value v) throws SQLException {
        Object o = v.value();
        switch (v.type()) {
            case NULL -> ps.setNull(index, Types.NULL);
            case VARBINARY, BLOB -> ps.setBytes(index, (byte[]) o);
            case CLOB -> ps.setString(index, (String) o);
            case JSON -> ps.setObject(index, o, H2Type.JSON);
            case ARRAY -> ps.setObject(index, javaArray((ArrayValue) o));
            case INTERVAL -> ps.setObject(index, interval((IntervalValue) o));
            // the remaining Java classes (Boolean, Byte, ..., BigDecimal, String, java.time.*, UUID) map directly
            default -> ps.setObject(index, o);
        }
    }
}

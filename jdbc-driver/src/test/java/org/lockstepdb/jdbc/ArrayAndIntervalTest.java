package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Period;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.ArrayValue;
import org.lockstepdb.protocol.IntervalValue;
import org.lockstepdb.protocol.IntervalValue.Qualifier;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * ARRAY and INTERVAL values without a cluster; the texts are H2 2.5.252's (TypeParityIT compares them with
 * embedded H2 cell by cell).
 */
class ArrayAndIntervalTest {
    private static IntervalValue interval(Qualifier q, boolean negative, long leading, long remaining) {
        return new IntervalValue(q, negative, leading, remaining);
    }

    @Test
    void intervalsReadAsH2WritesThem() {
        assertThat(IntervalConversions.format(interval(Qualifier.YEAR, false, 3, 0))).isEqualTo("INTERVAL '3' YEAR");
        assertThat(IntervalConversions.format(interval(Qualifier.MONTH, false, 14, 0))).isEqualTo("INTERVAL '14' MONTH");
        assertThat(IntervalConversions.format(interval(Qualifier.YEAR_TO_MONTH, true, 1, 2)))
                .isEqualTo("INTERVAL '-1-2' YEAR TO MONTH");
        assertThat(IntervalConversions.format(interval(Qualifier.DAY_TO_HOUR, false, 5, 3)))
                .isEqualTo("INTERVAL '5 03' DAY TO HOUR");
        assertThat(IntervalConversions.format(interval(Qualifier.DAY_TO_MINUTE, false, 5, 184)))
                .isEqualTo("INTERVAL '5 03:04' DAY TO MINUTE");
        assertThat(IntervalConversions.format(interval(Qualifier.DAY_TO_SECOND, false, 3, 14_706_500_000_000L)))
                .isEqualTo("INTERVAL '3 04:05:06.5' DAY TO SECOND");
        assertThat(IntervalConversions.format(interval(Qualifier.HOUR_TO_MINUTE, true, 10, 30)))
                .isEqualTo("INTERVAL '-10:30' HOUR TO MINUTE");
        assertThat(IntervalConversions.format(interval(Qualifier.HOUR_TO_SECOND, false, 1, 123_000_000_000L)))
                .isEqualTo("INTERVAL '1:02:03' HOUR TO SECOND");
        assertThat(IntervalConversions.format(interval(Qualifier.MINUTE_TO_SECOND, false, 2, 3_001_000_000L)))
                .isEqualTo("INTERVAL '2:03.001' MINUTE TO SECOND");
        assertThat(IntervalConversions.format(interval(Qualifier.SECOND, true, 0, 500_000_000)))
                .isEqualTo("INTERVAL '-0.5' SECOND");
    }

    @Test
    void intervalsConvertToJavaTimeAndNumbers() throws SQLException {
        IntervalValue dayToSecond = interval(Qualifier.DAY_TO_SECOND, false, 3, 14_706_500_000_000L);
        assertThat(IntervalConversions.toDuration(dayToSecond, "")).isEqualTo(Duration.parse("PT76H5M6.5S"));
        assertThat(IntervalConversions.toDuration(interval(Qualifier.HOUR_TO_MINUTE, true, 10, 30), ""))
                .isEqualTo(Duration.parse("PT-10H-30M"));
        assertThat(IntervalConversions.toPeriod(interval(Qualifier.MONTH, false, 14, 0), "")).isEqualTo(Period.ofMonths(14));
        assertThat(IntervalConversions.toPeriod(interval(Qualifier.YEAR_TO_MONTH, true, 1, 2), ""))
                .isEqualTo(Period.of(-1, -2, 0));
        assertThatThrownBy(() -> IntervalConversions.toPeriod(dayToSecond, "x")).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22018");
        assertThat(IntervalConversions.toNumber(dayToSecond)).isEqualTo(new BigDecimal("3.17021412037037"));
        assertThat(IntervalConversions.toNumber(interval(Qualifier.DAY_TO_HOUR, false, 5, 3))).isEqualTo(new BigDecimal("5.12"));
        assertThat(IntervalConversions.toNumber(interval(Qualifier.HOUR_TO_MINUTE, true, 10, 30)))
                .isEqualTo(new BigDecimal("-10.5"));
        assertThat(IntervalConversions.displaySize("INTERVAL DAY TO SECOND", 2, 6)).isEqualTo(44);
        assertThat(IntervalConversions.displaySize("INTERVAL MINUTE TO SECOND", 2, 6)).isEqualTo(41);
        assertThat(IntervalConversions.displaySize("INTERVAL DAY", 2, 0)).isEqualTo(18);
    }

    @Test
    void javaValuesBindAsH2BindsThem() throws SQLException {
        Value array = ParameterValues.of(new Integer[] {1, null, 3});
        assertThat(array.type()).isEqualTo(ValueType.ARRAY);
        assertThat(((ArrayValue) array.value()).elements())
                .containsExactly(Value.of(ValueType.INTEGER, 1), Value.NULL, Value.of(ValueType.INTEGER, 3));
        assertThat(ParameterValues.of(Duration.ofSeconds(93_784, 5_000_000)).value())
                .isEqualTo(interval(Qualifier.SECOND, false, 93_784, 5_000_000));
        assertThat(ParameterValues.of(Period.of(-1, -2, 0)).value())
                .isEqualTo(interval(Qualifier.YEAR_TO_MONTH, true, 1, 2));
        assertThatThrownBy(() -> ParameterValues.of(Period.of(1, 2, 3))).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("90008");
    }

    @Test
    void anArrayGivesItsElementsAsObjectsAndAsAResultSet() throws SQLException {
        Array a = new LockstepArray(new ArrayValue(Types.VARCHAR, "CHARACTER VARYING",
                List.of(Value.of(ValueType.VARCHAR, "a"), Value.NULL, Value.of(ValueType.VARCHAR, "c"))));
        assertThat(a.getBaseType()).isEqualTo(Types.VARCHAR);
        assertThat(a.getBaseTypeName()).isEqualTo("CHARACTER VARYING");
        assertThat((Object[]) a.getArray()).containsExactly("a", null, "c");
        assertThat((Object[]) a.getArray(2, 5)).containsExactly(null, "c");
        assertThat(a.toString()).isEqualTo("[a, null, c]");
        try (ResultSet rs = a.getResultSet(3, 1)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong("INDEX")).isEqualTo(3);
            assertThat(rs.getString("VALUE")).isEqualTo("c");
            assertThat(rs.next()).isFalse();
        }
        assertThatThrownBy(() -> a.getArray(0, 1)).isInstanceOf(SQLException.class);
        a.free();
        assertThatThrownBy(a::getArray).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("HY000");
    }
}

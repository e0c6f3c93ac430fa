package org.lockstepdb.jdbc;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Period;
import java.util.Locale;

import org.lockstepdb.protocol.IntervalValue;
import org.lockstepdb.protocol.IntervalValue.Qualifier;

/**
 * INTERVAL values as H2's driver gives and takes them: the text ({@code INTERVAL '3 04:05:06.5' DAY TO SECOND}),
 * {@code java.time.Duration} (day-time intervals) and {@code Period} (year-month intervals), and H2's own
 * {@code org.h2.api.Interval}. The driver does not depend on H2: {@code getObject} returns an
 * {@code org.h2.api.Interval} when that class is on the application's class path (it is in H2's jar), else the
 * interval's text. A conversion that does not fit fails with 22018; a {@code Period} with days, 90008 (as H2).
 */
final class IntervalConversions {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
    private static final String H2_INTERVAL = "org.h2.api.Interval";

    private IntervalConversions() {
    }

    /** H2's text form of an interval. */
    static String format(IntervalValue v) {
        StringBuilder sb = new StringBuilder("INTERVAL '");
        if (v.negative()) {
            sb.append('-');
        }
        long leading = v.leading();
        long rest = v.remaining();
        switch (v.qualifier()) {
            case SECOND -> seconds(sb.append(leading), rest);
            case YEAR_TO_MONTH -> sb.append(leading).append('-').append(rest);
            case DAY_TO_HOUR -> two(sb.append(leading).append(' '), rest);
            case DAY_TO_MINUTE -> two(two(sb.append(leading).append(' '), rest / 60).append(':'), rest % 60);
            case DAY_TO_SECOND -> {
                long minutes = rest / NANOS_PER_MINUTE;
                two(two(sb.append(leading).append(' '), minutes / 60).append(':'), minutes % 60).append(':');
                secondsOfMinute(sb, rest % NANOS_PER_MINUTE);
            }
            case HOUR_TO_MINUTE -> two(sb.append(leading).append(':'), rest);
            case HOUR_TO_SECOND -> {
                two(sb.append(leading).append(':'), rest / NANOS_PER_MINUTE).append(':');
                secondsOfMinute(sb, rest % NANOS_PER_MINUTE);
            }
            case MINUTE_TO_SECOND -> secondsOfMinute(sb.append(leading).append(':'), rest);
            default -> sb.append(leading);
        }
        return sb.append("' ").append(v.qualifier().sql()).toString();
    }

    private static StringBuilder two(StringBuilder sb, long n) {
        return sb.append(n < 10 ? "0" : "").append(n);
    }

    private static void secondsOfMinute(StringBuilder sb, long nanos) {
        seconds(two(sb, nanos / NANOS_PER_SECOND), nanos % NANOS_PER_SECOND);
    }

    /** The fraction of a second after the seconds already written: trailing zeros dropped, none if 0. */
    private static StringBuilder seconds(StringBuilder sb, long nanos) {
        if (nanos != 0) {
            String f = String.format(Locale.ROOT, "%09d", nanos);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
        return sb;
    }

    private static boolean yearMonth(Qualifier q) {
        return q == Qualifier.YEAR || q == Qualifier.MONTH || q == Qualifier.YEAR_TO_MONTH;
    }

    /** A day-time interval as a {@code Duration}; 22018 for a year-month one. */
    static Duration toDuration(IntervalValue v, String text) throws SQLException {
        if (yearMonth(v.qualifier())) {
            throw cannot(text, "Duration");
        }
        long nanosPerLeading = switch (v.qualifier()) {
            case DAY, DAY_TO_HOUR, DAY_TO_MINUTE, DAY_TO_SECOND -> 86_400 * NANOS_PER_SECOND;
            case HOUR, HOUR_TO_MINUTE, HOUR_TO_SECOND -> 3_600 * NANOS_PER_SECOND;
            case MINUTE, MINUTE_TO_SECOND -> NANOS_PER_MINUTE;
            default -> NANOS_PER_SECOND;
        };
        long nanosPerRemaining = switch (v.qualifier()) {
            case DAY_TO_HOUR -> 3_600 * NANOS_PER_SECOND;
            case DAY_TO_MINUTE, HOUR_TO_MINUTE -> NANOS_PER_MINUTE;
            default -> 1;
        };
        Duration d = Duration.ofNanos(0).plus(Duration.ofNanos(nanosPerLeading).multipliedBy(v.leading()))
                .plus(Duration.ofNanos(nanosPerRemaining).multipliedBy(v.remaining()));
        return v.negative() ? d.negated() : d;
    }

    /** A year-month interval as a {@code Period} (H2 keeps the fields: 14 months stay P14M); 22018 for a day-time one. */
    static Period toPeriod(IntervalValue v, String text) throws SQLException {
        if (!yearMonth(v.qualifier())) {
            throw cannot(text, "Period");
        }
        int sign = v.negative() ? -1 : 1;
        try {
            return switch (v.qualifier()) {
                case YEAR -> Period.ofYears(Math.toIntExact(sign * v.leading()));
                case MONTH -> Period.ofMonths(Math.toIntExact(sign * v.leading()));
                default -> Period.of(Math.toIntExact(sign * v.leading()), (int) (sign * v.remaining()), 0);
            };
        } catch (ArithmeticException e) {
            throw new java.sql.SQLDataException("Numeric value out of range: " + text, "22003", 22003);
        }
    }

    /**
     * A number (or numeric text) read as an interval, as H2 casts it: a count of days (an INTERVAL DAY TO SECOND)
     * for {@code Duration} and {@code Interval}, of years (INTERVAL YEAR TO MONTH) for {@code Period}. Text that
     * is not a number: 22007.
     */
    static IntervalValue ofNumber(org.lockstepdb.protocol.Value v, boolean years) throws SQLException {
        java.math.BigDecimal n;
        if (v.type() == org.lockstepdb.protocol.ValueType.BOOLEAN || v.type() == org.lockstepdb.protocol.ValueType.CLOB) {
            throw ValueConversions.cannot(v, "INTERVAL");
        }
        try {
            n = ValueConversions.toBigDecimal(v);
        } catch (SQLException e) {
            if (v.value() instanceof String) {
                throw new java.sql.SQLDataException("Cannot parse INTERVAL constant \"" + v.value() + "\"", "22007",
                        22007);
            }
            throw e;
        }
        java.math.BigDecimal abs = n.abs();
        java.math.BigDecimal whole = abs.setScale(0, java.math.RoundingMode.DOWN);
        java.math.BigDecimal perUnit = java.math.BigDecimal.valueOf(years ? 12 : 86_400 * NANOS_PER_SECOND);
        try {
            long rest = abs.subtract(whole).multiply(perUnit).setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact();
            return new IntervalValue(years ? Qualifier.YEAR_TO_MONTH : Qualifier.DAY_TO_SECOND, n.signum() < 0,
                    whole.longValueExact(), rest);
        } catch (ArithmeticException e) {
            throw new java.sql.SQLDataException("Numeric value out of range: " + n, "22003", 22003);
        }
    }

    /** The display size H2 gives an INTERVAL column: the length of its longest text. */
    static int displaySize(String typeName, int precision, int scale) {
        for (Qualifier q : Qualifier.values()) {
            String words = q.sql();
            if (typeName.startsWith("INTERVAL " + words) && !typeName.startsWith("INTERVAL " + words + " TO")) {
                int fields = switch (q) {
                    case YEAR_TO_MONTH, DAY_TO_HOUR, HOUR_TO_MINUTE, MINUTE_TO_SECOND -> 3;
                    case DAY_TO_MINUTE, HOUR_TO_SECOND -> 6;
                    case DAY_TO_SECOND -> 9;
                    default -> 0;
                };
                boolean seconds = q == Qualifier.SECOND || words.endsWith("TO SECOND");
                // INTERVAL '-<leading><fields>.<fraction>' <qualifier>
                return 11 + precision + fields + (seconds && scale > 0 ? 1 + scale : 0) + 2 + words.length();
            }
        }
        return Integer.MAX_VALUE;
    }

    /**
     * An interval as a number of its leading field's units, as H2 converts it: the remaining fields as a fraction
     * with as many decimals as the divisor has digits (half even), trailing zeros dropped.
     */
    static java.math.BigDecimal toNumber(IntervalValue v) {
        long divisor = switch (v.qualifier()) {
            case YEAR_TO_MONTH -> 12;
            case DAY_TO_HOUR -> 24;
            case DAY_TO_MINUTE -> 24 * 60;
            case DAY_TO_SECOND -> 86_400 * NANOS_PER_SECOND;
            case HOUR_TO_MINUTE -> 60;
            case HOUR_TO_SECOND -> 3_600 * NANOS_PER_SECOND;
            case MINUTE_TO_SECOND -> NANOS_PER_MINUTE;
            case SECOND -> NANOS_PER_SECOND;
            default -> 1;
        };
        java.math.BigDecimal n = java.math.BigDecimal.valueOf(v.leading()).add(java.math.BigDecimal.valueOf(v.remaining())
                .divide(java.math.BigDecimal.valueOf(divisor), Long.toString(divisor).length(),
                        java.math.RoundingMode.HALF_EVEN)).stripTrailingZeros();
        if (n.scale() < 0) {
            n = n.setScale(0);
        }
        return v.negative() ? n.negate() : n;
    }

    /** H2's {@code Duration} parameter: an INTERVAL SECOND. */
    static IntervalValue of(Duration d) {
        Duration abs = d.abs();
        return new IntervalValue(Qualifier.SECOND, d.isNegative(), abs.getSeconds(), abs.getNano());
    }

    /** H2's {@code Period} parameter: an INTERVAL YEAR TO MONTH; one with days is refused (90008, as H2). */
    static IntervalValue of(Period p) throws SQLException {
        if (p.getDays() != 0) {
            throw new SQLException("Invalid value \"" + p + "\" for parameter \"Period\": H2 has no interval of"
                    + " months and days", "90008", 90008);
        }
        long months = p.toTotalMonths();
        long abs = Math.abs(months);
        return new IntervalValue(Qualifier.YEAR_TO_MONTH, months < 0, abs / 12, abs % 12);
    }

    static boolean isH2Interval(Object o) {
        return o != null && o.getClass().getName().equals(H2_INTERVAL);
    }

    /** The fields of an {@code org.h2.api.Interval} (read through reflection: the driver has no H2). */
    static IntervalValue ofH2(Object interval) throws SQLException {
        try {
            Class<?> c = interval.getClass();
            Object qualifier = c.getMethod("getQualifier").invoke(interval);
            return new IntervalValue(Qualifier.valueOf(((Enum<?>) qualifier).name()),
                    (Boolean) c.getMethod("isNegative").invoke(interval), (Long) c.getMethod("getLeading").invoke(interval),
                    (Long) c.getMethod("getRemaining").invoke(interval));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new SQLException("Cannot read the interval " + interval + ": " + e, "22018");
        }
    }

    /** {@code org.h2.api.Interval} if the application has H2's API on its class path, else null. */
    static Object toH2(IntervalValue v) {
        Constructor<?> make = H2Api.CONSTRUCTOR;
        if (make == null) {
            return null;
        }
        try {
            return make.newInstance(H2Api.QUALIFIER_OF.invoke(null, v.qualifier().name()), v.negative(), v.leading(),
                    v.remaining());
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    static boolean h2ApiPresent() {
        return H2Api.CONSTRUCTOR != null;
    }

    private static SQLException cannot(String text, String target) {
        return new java.sql.SQLDataException("Data conversion error converting \"" + text + "\" to " + target,
                "22018");
    }

    /** H2's interval classes, looked up once through the driver's class loader; absent without H2. */
    private static final class H2Api {
        static final Constructor<?> CONSTRUCTOR;
        static final Method QUALIFIER_OF;

        static {
            Constructor<?> constructor = null;
            Method valueOf = null;
            try {
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                Class<?> interval = Class.forName(H2_INTERVAL, false,
                        loader != null ? loader : IntervalConversions.class.getClassLoader());
                Class<?> qualifier = Class.forName("org.h2.api.IntervalQualifier", false, interval.getClassLoader());
                constructor = interval.getConstructor(qualifier, boolean.class, long.class, long.class);
                valueOf = qualifier.getMethod("valueOf", String.class);
            } catch (ReflectiveOperationException | LinkageError e) {
                constructor = null; // no H2 API: intervals are given as text
            }
            CONSTRUCTOR = constructor;
            QUALIFIER_OF = valueOf;
        }

        private H2Api() {
        }
    }
}

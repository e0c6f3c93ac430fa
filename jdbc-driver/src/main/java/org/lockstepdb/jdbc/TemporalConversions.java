package org.lockstepdb.jdbc;

import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;

import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * The date and time half of {@link ValueConversions}: a result cell to {@code java.time} and {@code java.sql}
 * date/time types, and date/time values to text as H2 writes them. Values without a zone are converted field by
 * field (never through the JVM time zone), except with a {@code Calendar}, whose zone JDBC says to use.
 * A cell that cannot be converted: 22018 (see {@link ValueConversions#cannot}).
 */
final class TemporalConversions {
    private TemporalConversions() {
    }

    /** {@code java.sql.Time} of a time of day; keeps milliseconds (Time.valueOf(LocalTime) would drop them). */
    static Time toTime(LocalTime t) {
        Time time = Time.valueOf(t.withNano(0));
        time.setTime(time.getTime() + t.getNano() / 1_000_000);
        return time;
    }

    // ---- text, as H2 formats it --------------------------------------------------------------------------

    static String formatTime(LocalTime t) {
        StringBuilder sb = new StringBuilder(18);
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        int nanos = t.getNano();
        if (nanos != 0) {
            String f = String.format(Locale.ROOT, "%09d", nanos);
            int end = f.length();
            while (end > 1 && f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
        return sb.toString();
    }

    static String formatTimestamp(LocalDateTime t) {
        return t.toLocalDate() + " " + formatTime(t.toLocalTime());
    }

    static String formatOffset(ZoneOffset offset) {
        int total = offset.getTotalSeconds();
        int abs = Math.abs(total);
        StringBuilder sb = new StringBuilder().append(total < 0 ? '-' : '+');
        two(sb, abs / 3600);
        if (abs % 3600 != 0) {
            sb.append(':');
            two(sb, abs / 60 % 60);
            if (abs % 60 != 0) {
                sb.append(':');
                two(sb, abs % 60);
            }
        }
        return sb.toString();
    }

    private static StringBuilder two(StringBuilder sb, int n) {
        return sb.append(n < 10 ? "0" : "").append(n);
    }

    // ---- from a cell ---------------------------------------------------------------------------------------

    static LocalDate toLocalDate(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        Object o = v.value();
        switch (v.type()) {
            case DATE: return (LocalDate) o;
            case TIMESTAMP: return ((LocalDateTime) o).toLocalDate();
            case TIMESTAMP_WITH_TIME_ZONE: return utc((OffsetDateTime) o).toLocalDate();
            case CHAR: case VARCHAR:
                try {
                    return LocalDate.parse(((String) o).trim());
                } catch (DateTimeParseException e) {
                    throw badFormat(v, "DATE");
                }
            default: throw ValueConversions.cannot(v, "DATE");
        }
    }

    static LocalTime toLocalTime(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        Object o = v.value();
        switch (v.type()) {
            case TIME: return (LocalTime) o;
            case TIME_WITH_TIME_ZONE: return ((OffsetTime) o).withOffsetSameInstant(ZoneOffset.UTC).toLocalTime();
            case TIMESTAMP: return ((LocalDateTime) o).toLocalTime();
            case TIMESTAMP_WITH_TIME_ZONE: return utc((OffsetDateTime) o).toLocalTime();
            case CHAR: case VARCHAR:
                try {
                    return LocalTime.parse(((String) o).trim());
                } catch (DateTimeParseException e) {
                    throw badFormat(v, "TIME");
                }
            default: throw ValueConversions.cannot(v, "TIME");
        }
    }

    static LocalDateTime toLocalDateTime(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        Object o = v.value();
        switch (v.type()) {
            case DATE: return ((LocalDate) o).atStartOfDay();
            case TIMESTAMP: return (LocalDateTime) o;
            // as H2: a time of day on the session's current date (UTC on every replica)
            case TIME: return LocalDate.now(ZoneOffset.UTC).atTime((LocalTime) o);
            case TIME_WITH_TIME_ZONE: return LocalDate.now(ZoneOffset.UTC)
                    .atTime(((OffsetTime) o).withOffsetSameInstant(ZoneOffset.UTC).toLocalTime());
            case TIMESTAMP_WITH_TIME_ZONE: return utc((OffsetDateTime) o).toLocalDateTime();
            case CHAR: case VARCHAR:
                try {
                    return LocalDateTime.parse(((String) o).trim().replace(' ', 'T'));
                } catch (DateTimeParseException e) {
                    throw badFormat(v, "TIMESTAMP");
                }
            default: throw ValueConversions.cannot(v, "TIMESTAMP");
        }
    }

    static OffsetDateTime toOffsetDateTime(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        Object o = v.value();
        switch (v.type()) {
            case TIMESTAMP_WITH_TIME_ZONE: return (OffsetDateTime) o;
            // values without a zone are in the session's zone, UTC on every replica
            case DATE: case TIMESTAMP: case TIME:
                return toLocalDateTime(v).atOffset(ZoneOffset.UTC);
            case TIME_WITH_TIME_ZONE: return LocalDate.now(ZoneOffset.UTC).atTime((OffsetTime) o); // keeps its offset
            case CHAR: case VARCHAR:
                try {
                    String text = ((String) o).trim().replace(' ', 'T');
                    return text.matches(".*([+-]\\d\\d(:?\\d\\d)*|Z)$") ? OffsetDateTime.parse(text)
                            : LocalDateTime.parse(text).atOffset(ZoneOffset.UTC); // in the session's zone
                } catch (DateTimeParseException e) {
                    throw badFormat(v, "TIMESTAMP WITH TIME ZONE");
                }
            default: throw ValueConversions.cannot(v, "TIMESTAMP WITH TIME ZONE");
        }
    }

    static OffsetTime toOffsetTime(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        Object o = v.value();
        switch (v.type()) {
            case TIME_WITH_TIME_ZONE: return (OffsetTime) o;
            case TIMESTAMP_WITH_TIME_ZONE: return ((OffsetDateTime) o).toOffsetTime();
            case TIME: return ((LocalTime) o).atOffset(ZoneOffset.UTC);
            case TIMESTAMP: return ((LocalDateTime) o).toLocalTime().atOffset(ZoneOffset.UTC);
            case CHAR: case VARCHAR:
                try {
                    return OffsetTime.parse(((String) o).trim());
                } catch (DateTimeParseException e) {
                    throw badFormat(v, "TIME WITH TIME ZONE");
                }
            default: throw ValueConversions.cannot(v, "TIME WITH TIME ZONE");
        }
    }

    /** A {@code java.sql.Date}: with a calendar, midnight of that date in the calendar's zone (JDBC semantics). */
    static Date toDate(Value v, Calendar cal) throws SQLException {
        LocalDate d = toLocalDate(v);
        if (d == null) {
            return null;
        }
        if (cal == null) {
            return Date.valueOf(d);
        }
        return new Date(d.atStartOfDay(zone(cal)).toInstant().toEpochMilli());
    }

    static Time toTime(Value v, Calendar cal) throws SQLException {
        LocalTime t = toLocalTime(v);
        if (t == null) {
            return null;
        }
        if (cal == null) {
            return toTime(t);
        }
        return new Time(t.atDate(LocalDate.of(1970, 1, 1)).atZone(zone(cal)).toInstant().toEpochMilli());
    }

    static Timestamp toTimestamp(Value v, Calendar cal) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.type() == ValueType.TIMESTAMP_WITH_TIME_ZONE) {
            return Timestamp.from(((OffsetDateTime) v.value()).toInstant());
        }
        LocalDateTime t = toLocalDateTime(v);
        if (cal == null) {
            return Timestamp.valueOf(t);
        }
        return Timestamp.from(t.atZone(zone(cal)).toInstant());
    }

    /** A value with a zone as the UTC session of every replica sees it when converting to a type without one. */
    private static OffsetDateTime utc(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** A string that is not a date/time of the asked type: 22007, as H2. */
    private static SQLException badFormat(Value v, String target) {
        return new java.sql.SQLDataException("Cannot parse \"" + target + "\" constant \"" + v.value() + "\"",
                "22007", 22007);
    }

    private static java.time.ZoneId zone(Calendar cal) {
        TimeZone tz = cal.getTimeZone();
        return tz == null ? java.time.ZoneId.systemDefault() : tz.toZoneId();
    }
}

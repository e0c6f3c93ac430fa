package org.lockstepdb.guard;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The current-time functions the guard rewrites in writes, with the H2 2.5 type each returns (verified by
 * {@code TimeLiteralTypesTest} against H2 itself) and its default fractional-seconds precision.
 * The literal holds the leader's stamp, in UTC (the replicas' fixed session time zone), rounded half-up to
 * the precision as H2 rounds the current time ({@code DateTimeUtils.convertScale}); SYSDATE truncates to
 * seconds, as H2 does.
 *
 * <p>An H2 datetime literal has scale 9 whatever digits it shows ({@code TIMESTAMP '… .123'} is TIMESTAMP(9)),
 * so a bare literal would not have the function's type (that matters for CAST to text, concatenation,
 * CREATE … AS and result metadata). The rewrite therefore is {@code CAST(<literal> AS <type>(p))}, e.g.
 * {@code CAST(TIMESTAMP WITH TIME ZONE '2026-11-27 08:12:24.123+00:00' AS TIMESTAMP(3) WITH TIME ZONE)}; a
 * DATE literal already has the type of CURRENT_DATE and stays bare. H2 folds the CAST of a literal to a
 * constant when it parses the statement.
 */
enum TimeFunction {
    CURRENT_TIMESTAMP("TIMESTAMP WITH TIME ZONE", 6, true, true),
    LOCALTIMESTAMP("TIMESTAMP", 6, true, false),
    /** {@code SYSTIMESTAMP} (LEGACY/Oracle modes): TIMESTAMP WITH TIME ZONE. */
    SYSTIMESTAMP("TIMESTAMP WITH TIME ZONE", 6, true, true),
    /** {@code SYSDATE} (LEGACY/HSQLDB/Oracle modes): TIMESTAMP(0), truncated. */
    SYSDATE("TIMESTAMP", 0, true, false),
    CURRENT_DATE("DATE", 0, false, false),
    CURRENT_TIME("TIME WITH TIME ZONE", 0, false, true),
    LOCALTIME("TIME", 0, false, false);

    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    final String sqlType;
    private final String baseType;
    final int defaultPrecision;
    private final boolean hasDate;
    private final boolean withZone;

    TimeFunction(String sqlType, int defaultPrecision, boolean hasDate, boolean withZone) {
        this.sqlType = sqlType;
        this.baseType = sqlType.startsWith("TIMESTAMP") ? "TIMESTAMP" : sqlType.startsWith("TIME") ? "TIME" : "DATE";
        this.defaultPrecision = defaultPrecision;
        this.hasDate = hasDate;
        this.withZone = withZone;
    }

    /** @param precision -1 for the default; 0..9 otherwise */
    String literal(long stampMillis, int precision) {
        int p = precision < 0 ? defaultPrecision : precision;
        long nanosTotal = Math.multiplyExact(Math.floorDiv(stampMillis, 1000L), 1_000_000_000L)
                + Math.floorMod(stampMillis, 1000L) * 1_000_000L;
        long unit = pow10(9 - p);
        long rounded;
        if (this == SYSDATE || this == CURRENT_DATE) {
            // SYSDATE truncates to seconds; CURRENT_DATE is the date part of the current timestamp
            rounded = Math.floorDiv(nanosTotal, unit) * unit;
        } else if (hasDate) {
            // timestamps round half up and may roll over into the next day
            rounded = Math.floorDiv(nanosTotal + unit / 2, unit) * unit;
        } else {
            // times of day round half up but are clamped to the last representable time of the day
            long day = Math.floorDiv(nanosTotal, NANOS_PER_DAY) * NANOS_PER_DAY;
            long ofDay = nanosTotal - day;
            long r = Math.floorDiv(ofDay + unit / 2, unit) * unit;
            rounded = day + (r >= NANOS_PER_DAY ? NANOS_PER_DAY - unit : r);
        }
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(rounded, 1_000_000_000L), Math.floorMod(rounded, 1_000_000_000L));
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(96);
        if (this != CURRENT_DATE) {
            b.append("CAST(");
        }
        b.append(sqlType).append(" '");
        if (this == CURRENT_DATE) {
            date(b, t);
        } else {
            if (hasDate) {
                date(b, t).append(' ');
            }
            two(b, t.getHour()).append(':');
            two(b, t.getMinute()).append(':');
            two(b, t.getSecond());
            if (p > 0) {
                String nanos = Integer.toString(1_000_000_000 + t.getNano()).substring(1);
                b.append('.').append(nanos, 0, p);
            }
            if (withZone) {
                b.append("+00:00");
            }
        }
        b.append('\'');
        if (this != CURRENT_DATE) {
            b.append(" AS ").append(baseType).append('(').append(p).append(')');
            if (withZone) {
                b.append(" WITH TIME ZONE");
            }
            b.append(')');
        }
        return b.toString();
    }

    private static StringBuilder date(StringBuilder b, LocalDateTime t) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("stamp year out of range: " + year);
        }
        b.append(Integer.toString(10000 + year).substring(1)).append('-');
        two(b, t.getMonthValue()).append('-');
        return two(b, t.getDayOfMonth());
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static long pow10(int n) {
        long r = 1;
        for (int i = 0; i < n; i++) {
            r *= 10;
        }
        return r;
    }
}

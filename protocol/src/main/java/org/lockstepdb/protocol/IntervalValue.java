package org.lockstepdb.protocol;

/**
 * The value of an SQL INTERVAL, in H2's own representation (wire format 6 and later): {@code org.h2.api.Interval}
 * has the same fields.
 *
 * @param qualifier which interval type (YEAR, DAY TO SECOND, ...)
 * @param negative  whether the interval is negative
 * @param leading   the value of the leading field, not negative (years, months, days, hours, minutes or seconds)
 * @param remaining the rest, not negative: months for YEAR TO MONTH; hours, minutes or nanoseconds of the
 *                  remaining fields for DAY TO HOUR/MINUTE/SECOND, HOUR TO MINUTE/SECOND, MINUTE TO SECOND;
 *                  nanoseconds for SECOND; 0 for a single field other than SECOND
 */
public record IntervalValue(Qualifier qualifier, boolean negative, long leading, long remaining) {
    /** H2's interval qualifiers, in H2's order ({@code org.h2.api.IntervalQualifier}); the ordinal is on the wire. */
    public enum Qualifier {
        YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, YEAR_TO_MONTH, DAY_TO_HOUR, DAY_TO_MINUTE, DAY_TO_SECOND,
        HOUR_TO_MINUTE, HOUR_TO_SECOND, MINUTE_TO_SECOND;

        /** The SQL words, e.g. {@code DAY TO SECOND}. */
        public String sql() {
            return name().replace('_', ' ');
        }

        public static Qualifier ofOrdinal(int ordinal) {
            Qualifier[] all = values();
            if (ordinal < 0 || ordinal >= all.length) {
                throw new ProtocolException("corrupt message: interval qualifier " + ordinal);
            }
            return all[ordinal];
        }
    }

    public IntervalValue {
        if (qualifier == null || leading < 0 || remaining < 0) {
            throw new IllegalArgumentException("bad interval " + qualifier + " " + leading + " " + remaining);
        }
    }
}

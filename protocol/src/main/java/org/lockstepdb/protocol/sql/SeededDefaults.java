package org.lockstepdb.protocol.sql;

/**
 * Names of the functions that a column's {@code DEFAULT RAND()} or {@code DEFAULT RANDOM_UUID()} becomes. The
 * guard writes them into the logged DDL; every replica's store defines them (schema {@code LOCKSTEP_FN}, on the
 * apply session's function search path) over the same seeded, per-entry streams as RAND and RANDOM_UUID in
 * writes, so a default evaluated by a later write draws the same value on every replica.
 *
 * <p>Why names of their own: H2 stores the resolved function in the column definition and parses it again when
 * the database is opened, before anything can set {@code BUILTIN_ALIAS_OVERRIDE}; an alias named like a built-in
 * (RAND) cannot be re-created then, and the table would be lost. These names are not built-ins.
 */
public final class SeededDefaults {
    /** Replaces {@code RAND()} and {@code RANDOM()} in a DEFAULT or ON UPDATE clause: a DOUBLE in [0, 1). */
    public static final String RAND = "SEEDED_RAND";
    /** Replaces {@code RANDOM_UUID()} and {@code UUID()} there: a version 4 UUID. */
    public static final String RANDOM_UUID = "SEEDED_RANDOM_UUID";

    private SeededDefaults() {
    }

    /** The seeded function that replaces the built-in {@code name} (upper case) in a default, or null. */
    public static String replacing(String name) {
        return switch (name) {
            case "RAND", "RANDOM" -> RAND;
            case "RANDOM_UUID", "UUID" -> RANDOM_UUID;
            default -> null;
        };
    }
}

package org.lockstepdb.protocol;

/**
 * The client connection's own session values, carried with each query and write so that {@code USER()},
 * {@code CURRENT_USER}, {@code CURRENT_SCHEMA}, {@code SCHEMA()} … answer with them rather than with the
 * replica's internal session, and unqualified names resolve in the connection's current schema on every replica.
 *
 * @param user   the connection's user as H2 reports it (upper-cased), "" when none was given (as embedded H2)
 * @param schema the connection's current schema, exact case; "" = H2's default ({@code PUBLIC})
 */
public record SessionValues(String user, String schema) {
    /** No user, the default schema: what clients before message format version 4 send. */
    public static final SessionValues DEFAULT = new SessionValues("", "");
    /** H2's default schema. */
    public static final String DEFAULT_SCHEMA = "PUBLIC";
    /** Longest user or schema name carried, in chars (H2 limits identifiers to 256). */
    public static final int MAX_NAME_LENGTH = 256;

    public SessionValues {
        if (user == null || schema == null) {
            throw new IllegalArgumentException("user and schema must not be null (\"\" for none/default)");
        }
        if (user.length() > MAX_NAME_LENGTH || schema.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("user and schema names are limited to " + MAX_NAME_LENGTH + " chars");
        }
    }

    /** The schema unqualified names resolve in: {@link #schema()}, or PUBLIC when it is "". */
    public String effectiveSchema() {
        return schema.isEmpty() ? DEFAULT_SCHEMA : schema;
    }

    /** True when the schema is H2's default, so a replica need not switch its session's schema. */
    public boolean defaultSchema() {
        return schema.isEmpty() || schema.equals(DEFAULT_SCHEMA);
    }

    /**
     * True when writes may not run in this schema: LockstepDB's own ({@code LOCKSTEP_SYS}, {@code LOCKSTEP_FN}) and
     * H2's catalog ({@code INFORMATION_SCHEMA}); unqualified names would reach them. Refused with 42L05.
     */
    public boolean reservedForWrites() {
        return lockstepSchema(effectiveSchema())
                || effectiveSchema().toUpperCase(java.util.Locale.ROOT).equals("INFORMATION_SCHEMA");
    }

    /**
     * True for LockstepDB's own schemas ({@code LOCKSTEP_SYS}, {@code LOCKSTEP_FN}, in any case): no connection may
     * make one current, not even to read (the driver refuses {@code setSchema} to one with 42L05).
     */
    public static boolean lockstepSchema(String schema) {
        String s = schema.toUpperCase(java.util.Locale.ROOT);
        return s.equals("LOCKSTEP_SYS") || s.equals("LOCKSTEP_FN");
    }

    /** The refusal of a write whose schema is {@link #reservedForWrites() reserved}. */
    public ErrorReply reservedSchemaRefusal() {
        return new ErrorReply("42L05", 7005, "the connection's current schema " + effectiveSchema() + " is reserved "
                + "(LockstepDB's own bookkeeping or H2's catalog); writes may not run in it: setSchema to a user schema");
    }

    /** The same values without the user: what a log entry keeps once the leader has spliced the user in. */
    public SessionValues withoutUser() {
        return user.isEmpty() ? this : new SessionValues("", schema);
    }
}

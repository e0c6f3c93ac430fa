package org.lockstepdb.guard;

import org.lockstepdb.protocol.SessionValues;

/**
 * The session functions the guard replaces by the client connection's own values ({@link SessionValues}), in
 * reads and in writes: a replica's H2 session is not the client's, so H2's own answer would be the replica's
 * internal user and schema. The value becomes a character string literal, which has the functions' type
 * (CHARACTER VARYING); in a write it is spliced on the leader, so every replica stores the same value.
 */
enum SessionFunction {
    /** {@code USER()}, {@code CURRENT_USER}, {@code SESSION_USER}, {@code SYSTEM_USER}. */
    USER,
    /** {@code SCHEMA()}, {@code CURRENT_SCHEMA}. */
    SCHEMA;

    /** The SQL string literal of this function's value for {@code session}. */
    String literal(SessionValues session) {
        String value = this == USER ? session.user() : session.effectiveSchema();
        return "'" + value.replace("'", "''") + "'";
    }

    /** The function an unquoted word names, or null; {@code call} says whether {@code ()} follows it. */
    static SessionFunction of(String upperWord, boolean call) {
        return switch (upperWord) {
            case "CURRENT_USER", "SESSION_USER", "SYSTEM_USER", "USER" -> USER;
            case "CURRENT_SCHEMA" -> SCHEMA;
            case "SCHEMA" -> call ? SCHEMA : null; // SCHEMA alone is CREATE SCHEMA's keyword
            default -> null;
        };
    }
}

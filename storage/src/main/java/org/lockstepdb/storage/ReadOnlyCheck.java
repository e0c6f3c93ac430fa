package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.command.Command;
import org.h2.command.CommandInterface;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.message.DbException;

/**
 * Asks H2's parser whether a statement is a query without side effects, without running it.
 *
 * <p>Why H2's internals: the reader user's SELECT-only rights stop inserts and admin functions, but H2 checks
 * no rights for {@code NEXT VALUE FOR} (or {@code SET(@v, ...)}); sequences are not transactional, so a query
 * that advanced one would make this replica's later inserts differ from the others'. H2's own
 * {@code Command.isReadOnly()} knows. H2 is pinned (2.5.252) and a test guards this behaviour.
 */
final class ReadOnlyCheck {
    enum Verdict { READ_ONLY_QUERY, NOT_A_QUERY, HAS_SIDE_EFFECTS }

    private ReadOnlyCheck() {
    }

    static Verdict check(Connection connection, String sql) throws SQLException {
        Session session = connection.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local)) {
            throw new SQLException("embedded H2 session expected, got " + session.getClass().getName());
        }
        CommandInterface command;
        try {
            command = local.prepareCommand(sql); // parses and plans only; takes the session's own lock
        } catch (RuntimeException e) {
            throw DbException.toSQLException(e);
        }
        try {
            if (!command.isQuery()) {
                return Verdict.NOT_A_QUERY;
            }
            return command instanceof Command c && c.isReadOnly() ? Verdict.READ_ONLY_QUERY : Verdict.HAS_SIDE_EFFECTS;
        } finally {
            command.close();
        }
    }
}

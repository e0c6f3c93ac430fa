package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.h2.command.Command;
import org.h2.command.CommandInterface;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.message.DbException;
import org.lockstepdb.protocol.sql.SqlLexer;
import org.lockstepdb.protocol.sql.SqlToken;

/**
 * Asks H2's parser whether a statement is a query without side effects, without running it.
 *
 * <p>Why H2's internals: the reader user's SELECT-only rights stop inserts and admin functions, but H2 checks
 * no rights for {@code NEXT VALUE FOR} (or {@code SET(@v, ...)}); sequences are not transactional, so a query
 * that advanced one would make this replica's later inserts differ from the others'. H2's own
 * {@code Command.isReadOnly()} knows. H2 is pinned (2.5.252) and a test guards this behaviour.
 *
 * <p>{@code SELECT … FOR UPDATE} is read-only for H2 and allowed to the reader user, but it takes row locks: a
 * log entry that updates a locked row would wait for it and time out ({@link H2Sessions#DML_LOCK_TIMEOUT_MILLIS})
 * on this replica only, while the others apply it. So it is refused here, from the statement's tokens (the
 * protocol's lexer, H2's own tokens), whatever the server's guard did before.
 */
final class ReadOnlyCheck {
    enum Verdict { READ_ONLY_QUERY, NOT_A_QUERY, HAS_SIDE_EFFECTS, LOCKS_ROWS }

    private ReadOnlyCheck() {
    }

    static Verdict check(Connection connection, String sql) throws SQLException {
        if (locksRows(sql)) {
            return Verdict.LOCKS_ROWS;
        }
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

    /** Whether the text holds the words FOR UPDATE (outside literals, comments and quoted names). */
    static boolean locksRows(String sql) {
        List<SqlToken> tokens = SqlLexer.lex(sql).tokens();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).is("FOR") && tokens.get(i + 1).is("UPDATE")) {
                return true;
            }
        }
        return false;
    }
}

package org.lockstepdb.jdbc;

import java.util.List;

import org.lockstepdb.protocol.sql.SqlLexer;
import org.lockstepdb.protocol.sql.SqlToken;

/**
 * H2's {@code SET SCHEMA name} statement, which the driver runs as {@link java.sql.Connection#setSchema}: the current
 * schema is the connection's (every request carries it), so no replica session is changed and nothing reaches the
 * log. Flyway's H2 support sends it around every migration ({@code SET SCHEMA "PUBLIC"}); other {@code SET}
 * statements stay refused ({@code 0AL02}, docs/SQL.md).
 */
final class SetSchemaStatement {
    private SetSchemaStatement() {
    }

    /**
     * The schema name of {@code SET SCHEMA name}, {@code SET SCHEMA "Name"} or {@code SET SCHEMA 'Name'} (H2's
     * forms: an unquoted name in upper case, a quoted one or a string as written), an optional {@code ;} after it;
     * null for every other text.
     */
    static String schemaOf(String sql) {
        SqlLexer.Lexed lexed = SqlLexer.lex(sql);
        if (lexed.error() != null) {
            return null;
        }
        List<SqlToken> t = lexed.tokens();
        int n = t.size() > 0 && t.get(t.size() - 1).is(";") ? t.size() - 1 : t.size();
        if (n != 3 || !t.get(0).is("SET") || !t.get(1).is("SCHEMA")) {
            return null;
        }
        SqlToken name = t.get(2);
        return name.isIdentifier() || name.kind() == SqlToken.Kind.STRING ? name.name() : null;
    }
}

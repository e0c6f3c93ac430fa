package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;

import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.ErrorReply;

class ServerErrorTranslationTest {
    private static void maps(String state, Class<? extends SQLException> type) {
        SQLException e = ServerErrorTranslation.toException(new ErrorReply(state, 4711, "msg " + state));
        assertThat((Throwable) e).isExactlyInstanceOf(type);
        assertThat(e.getSQLState()).isEqualTo(state);
        assertThat(e.getErrorCode()).isEqualTo(4711);
        assertThat(e.getMessage()).isEqualTo("msg " + state);
    }

    @Test
    void mapsSqlStateClassToSubclass() {
        maps("42S02", SQLSyntaxErrorException.class);
        maps("42000", SQLSyntaxErrorException.class);
        maps("23505", SQLIntegrityConstraintViolationException.class);
        maps("22012", SQLDataException.class);
        maps("0A000", SQLFeatureNotSupportedException.class);
        maps("40001", SQLTransactionRollbackException.class);
        maps("28000", SQLInvalidAuthorizationSpecException.class);
        maps("08001", SQLTransientConnectionException.class);
        maps("08006", SQLNonTransientConnectionException.class);
        maps("HY000", SQLException.class);
        maps("90001", SQLException.class);
    }

    @Test
    void findsErrorReplyInAWrappedChain() {
        ErrorReply er = new ErrorReply("42001", 42001, "Syntax error in SQL statement \"SELEC\"");
        Throwable chain = new CompletionException(new IOException("outer",
                new StateMachineException("SM failed: " + er.toExceptionMessage())));
        assertThat(ServerErrorTranslation.findErrorReply(chain)).contains(er);
        assertThat(ServerErrorTranslation.findErrorReply(new IOException("nothing here"))).isEmpty();

        SQLException e = RaftFailures.translate(chain, true, "[n1@h:1]");
        assertThat((Throwable) e).isInstanceOf(SQLSyntaxErrorException.class);
        assertThat(e.getSQLState()).isEqualTo("42001");
        assertThat(e.getErrorCode()).isEqualTo(42001);
        assertThat(e.getMessage()).isEqualTo("Syntax error in SQL statement \"SELEC\"");
        assertThat(e.getCause()).isSameAs(chain);
    }

    @Test
    void suppressedAndCyclicChainsAreSafe() {
        ErrorReply er = new ErrorReply("23505", 23505, "dup");
        IOException top = new IOException("top");
        top.addSuppressed(new RuntimeException(er.toExceptionMessage()));
        assertThat(ServerErrorTranslation.findErrorReply(top)).contains(er);
    }

    @Test
    void noLeaderIsTransientConnectionError() {
        SQLException e = RaftFailures.translate(new CompletionException(
                new org.apache.ratis.protocol.exceptions.TimeoutIOException("timed out")), true, "[n1@h:1]");
        assertThat((Throwable) e).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(e.getSQLState()).startsWith("08");
        assertThat(e.getMessage()).contains("no reachable leader").contains("n1@h:1")
                .contains("may or may not have been applied");
    }

    @Test
    void aMissedWriteDeadlineSaysHowLongAndHowOftenItWasTried() {
        SQLException e = RaftFailures.translate(new WriteDeadlineException(10_000, 10_004, 33,
                new java.net.ConnectException("Connection refused")), true, "[n1@h:1]");
        assertThat((Throwable) e).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(e.getSQLState()).isEqualTo("08006");
        assertThat(e.getMessage()).isEqualTo("No LockstepDB leader acknowledged the write within its 10000 ms deadline:"
                + " 33 attempt(s) over 10004 ms; last failure: ConnectException: Connection refused (servers [n1@h:1])."
                + " The write may or may not have been applied");
    }
}

package org.lockstepdb.jdbc;

import java.sql.SQLException;

import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;

/**
 * Where a connection's requests go. {@link ClusterClient} sends them to a Ratis cluster; tests use a fake that
 * records requests and returns canned replies. An {@code ErrorReply} from the cluster is thrown as the matching
 * {@code SQLException} (see {@link ServerErrorTranslation}), never returned.
 */
public interface SqlChannel extends AutoCloseable {
    /** Sends one write (one atomic log entry) through the leader, within the connection's {@code timeoutMs}. */
    WriteResult write(WriteRequest request) throws SQLException;

    /**
     * Sends one write through the leader, retried (as one call, applied at most once) until {@code budgetMillis}
     * have passed; then it fails with {@code SQLTransientConnectionException} (08006: may or may not be applied).
     * The default ignores the budget (test channels).
     *
     * @param budgetMillis how long the write may take, in milliseconds (> 0)
     */
    default WriteResult write(WriteRequest request, long budgetMillis) throws SQLException {
        return write(request);
    }

    /**
     * Runs a query with the given consistency.
     *
     * @param minIndex for {@link ReadConsistency#STALE}: the lowest applied log index the answering replica may
     *                 have (0 = any); ignored otherwise
     */
    QueryResult query(QueryRequest request, ReadConsistency consistency, long minIndex) throws SQLException;

    /**
     * Asks the replicas to stop the query running under {@code queryId} ({@code Statement.cancel()}); returns
     * without waiting long. Best effort: a replica that does not answer is not waited for.
     */
    default void cancelQuery(String queryId) throws SQLException {
    }

    /**
     * Chooses the home replica of a new interactive transaction (the URL's {@code txHome}: a follower, round-robin,
     * or the leader): every statement of the transaction runs there. The name is opaque to the caller.
     *
     * @throws SQLException 0A000 if this channel has no transactions (test channels)
     */
    default String transactionHome() throws SQLException {
        throw new java.sql.SQLFeatureNotSupportedException("this channel runs no transactions", "0A000");
    }

    /**
     * Runs a transaction's next operation on its home replica as a linearizable read (ReadIndex: the replica's state
     * is at or after every write acknowledged before the request).
     *
     * @return the operation's result and outcome (also when the statement failed: its error is inside)
     * @throws SQLException the replica's refusal (40001 a replayed operation differs now, a guard SQLState, 54000),
     *         or an 08xxx {@code SQLNonTransientConnectionException} when the home replica cannot be reached
     */
    default org.lockstepdb.protocol.TxStatementResult transactionStatement(
            org.lockstepdb.protocol.TxStatementRequest request, String home) throws SQLException {
        throw new java.sql.SQLFeatureNotSupportedException("this channel runs no transactions", "0A000");
    }

    /**
     * Commits a transaction: one write through the leader, retried as one call until {@code budgetMillis}.
     *
     * @throws SQLException 40001 when the replicas' validation found a changed outcome (nothing applied), 08006
     *         when no leader acknowledged it in time (may or may not have been applied)
     */
    default WriteResult commit(org.lockstepdb.protocol.TxCommitRequest commit, long budgetMillis) throws SQLException {
        throw new java.sql.SQLFeatureNotSupportedException("this channel runs no transactions", "0A000");
    }

    /** Releases the channel; later calls fail. */
    @Override
    void close() throws SQLException;
}

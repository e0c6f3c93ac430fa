package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.List;

import org.apache.ratis.client.retry.ClientRetryEvent;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.ErrorReply;

/** How a query's time limit is chosen and sent, and that a timed-out read is never re-sent. */
class QueryDeadlineTest {
    @Test
    void theLimitEndsBeforeTheClientStopsWaiting() {
        assertThat(QueryDeadline.serverLimitMillis(0, 10_000)).isEqualTo(9_000);
        assertThat(QueryDeadline.serverLimitMillis(0, 60_000)).isEqualTo(59_000);
        assertThat(QueryDeadline.serverLimitMillis(0, 2_000)).isEqualTo(1_600);
        assertThat(QueryDeadline.serverLimitMillis(5_000, 10_000)).isEqualTo(5_000);
        assertThat(QueryDeadline.serverLimitMillis(30_000, 10_000)).isEqualTo(9_000);
        assertThat(QueryDeadline.serverLimitMillis(0, 1)).isEqualTo(1);
    }

    @Test
    void setQueryTimeoutTravelsWithTheQuery() throws SQLException {
        FakeChannel channel = new FakeChannel();
        LockstepConnection conn = new LockstepConnection(ConnectionUrl.parse("jdbc:lockstep://h:1"), channel);
        Statement st = conn.createStatement();
        st.setQueryTimeout(7);
        channel.replies.add(new org.lockstepdb.protocol.QueryResult(1, new org.lockstepdb.protocol.ResultData(List.of(), List.of())));
        st.executeQuery("SELECT 1");
        assertThat(channel.queries.get(0).request().timeoutMillis()).isEqualTo(7_000);

        PreparedStatement ps = conn.prepareStatement("SELECT ?");
        ps.setInt(1, 1);
        channel.replies.add(new org.lockstepdb.protocol.QueryResult(1, new org.lockstepdb.protocol.ResultData(List.of(), List.of())));
        ps.executeQuery();
        assertThat(channel.queries.get(1).request().timeoutMillis()).as("no statement timeout: server and URL bound it")
                .isZero();
    }

    @Test
    void aCancelledQueryIsATimeoutException() {
        channelError(new ErrorReply("57014", 57014, "cancelled"));
    }

    private static void channelError(ErrorReply error) {
        SQLException e = ServerErrorTranslation.toException(error);
        assertThat((Object) e).isInstanceOf(SQLTimeoutException.class);
        assertThat(e.getSQLState()).isEqualTo("57014");
    }

    @Test
    void aReadThatTimedOutIsNotRetriedButOtherFailuresAre() {
        DeadlineRetryPolicy policy = new DeadlineRetryPolicy(10, 2, 60_000, 10);
        RaftClientRequest read = RaftClientRequest.newBuilder().setClientId(ClientId.randomId())
                .setServerId(RaftPeerId.valueOf("n1")).setGroupId(RaftGroupId.randomId()).setCallId(1)
                .setMessage(Message.valueOf("q")).setType(RaftClientRequest.readRequestType()).build();
        RaftClientRequest write = RaftClientRequest.newBuilder().setClientId(ClientId.randomId())
                .setServerId(RaftPeerId.valueOf("n1")).setGroupId(RaftGroupId.randomId()).setCallId(2)
                .setMessage(Message.valueOf("w")).setType(RaftClientRequest.writeRequestType()).build();
        TimeoutIOException timeout = new TimeoutIOException("request #1 timeout 10s");
        assertThat(policy.handleAttemptFailure(new ClientRetryEvent(1, read, 1, timeout, null)).shouldRetry()).isFalse();
        assertThat(policy.handleAttemptFailure(new ClientRetryEvent(1, read, 1, new IOException("refused"), null))
                .shouldRetry()).isTrue();
        assertThat(policy.handleAttemptFailure(new ClientRetryEvent(1, write, 1, timeout, null)).shouldRetry())
                .as("a write is retried with the same call id; the retry cache applies it once").isTrue();
        assertThatThrownBy(() -> { throw QueryDeadline.timedOut(10_000, "[n1]", timeout); })
                .isInstanceOf(SQLTimeoutException.class).hasMessageContaining("not retried");
        assertThat(QueryDeadline.isClientTimeout(new IOException("wrapped", timeout))).isTrue();
    }
}

package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.ErrorReply;

class H2ErrorClassifierTest {
    @Test
    void aLockTimeoutIsTheEntrysOwnUnlessItHoldsDdl() throws Exception {
        try (Connection a = DriverManager.getConnection("jdbc:h2:mem:locks;DB_CLOSE_DELAY=-1", "sa", "");
             Connection b = DriverManager.getConnection("jdbc:h2:mem:locks", "sa", "");
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE t(id INT PRIMARY KEY, v INT)");
            sa.execute("INSERT INTO t VALUES (1, 1)");
            a.setAutoCommit(false);
            sa.executeUpdate("UPDATE t SET v = 2 WHERE id = 1");
            sb.execute("SET LOCK_TIMEOUT 50");
            SQLException timeout = catchThrowableOfType(SQLException.class,
                    () -> sb.executeUpdate("UPDATE t SET v = 3 WHERE id = 1"));
            assertThat(timeout.getErrorCode()).isEqualTo(ErrorCode.LOCK_TIMEOUT_1);
            assertThat(H2ErrorClassifier.isReplicaFailure(timeout, false)).as("DML: a lock only the entry itself holds").isFalse();
            assertThat(H2ErrorClassifier.isReplicaFailure(timeout, true)).as("DDL: a lock timeout stops the replica").isTrue();
            a.rollback();
        }
    }

    @Test
    void repliesCarryABoundedMessage() {
        ErrorReply reply = H2ErrorClassifier.toReply(new SQLException("x".repeat(100_000), "42000", 1));
        assertThat(reply.message()).hasSizeLessThan(H2ErrorClassifier.MAX_MESSAGE_CHARS + 100).endsWith("(100000 characters in all)");
        assertThat(H2ErrorClassifier.toReply(new SQLException("boom", "HY000", 50000, new StackOverflowError())).sqlState())
                .isEqualTo("54L02");
    }
}

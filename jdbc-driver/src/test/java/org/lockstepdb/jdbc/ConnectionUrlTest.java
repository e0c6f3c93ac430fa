package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionUrlTest {
    @Test
    void parsesAddressesAndDefaults() throws SQLException {
        ConnectionUrl u = ConnectionUrl.parse("jdbc:lockstep://a:1,b.example.com:9000, [::1]:7");
        assertThat(u.addresses()).containsExactly("a:1", "b.example.com:9000", "[::1]:7");
        assertThat(u.read()).isEqualTo(ReadConsistency.LINEARIZABLE);
        assertThat(u.readYourWrites()).isTrue();
        assertThat(u.timeoutMillis()).isEqualTo(10_000);
        assertThat(u.retries()).isEqualTo(40);
        assertThat(u.retryIntervalMillis()).isEqualTo(250);
        assertThat(u.connectTimeoutMillis()).isEqualTo(5_000);
        assertThat(u.maxRows()).isZero();
    }

    @Test
    void parsesOptions() throws SQLException {
        ConnectionUrl u = ConnectionUrl.parse("jdbc:lockstep://h:1/ignored?read=STALE&readYourWrites=false"
                + "&timeoutMs=500&retries=3&retryIntervalMs=100&connectTimeoutMs=200&maxRows=7");
        assertThat(u.read()).isEqualTo(ReadConsistency.STALE);
        assertThat(u.readYourWrites()).isFalse();
        assertThat(u.timeoutMillis()).isEqualTo(500);
        assertThat(u.retries()).isEqualTo(3);
        assertThat(u.retryIntervalMillis()).isEqualTo(100);
        assertThat(u.connectTimeoutMillis()).isEqualTo(200);
        assertThat(u.maxRows()).isEqualTo(7);
        assertThat(u.passLastWriteIndex()).isFalse();
    }

    @Test
    void propertiesAreOptionsAndUrlWins() throws SQLException {
        Properties p = new Properties();
        p.setProperty("read", "follower");
        p.setProperty("timeoutMs", "1234");
        p.setProperty("user", "sa");
        p.setProperty("somethingElse", "x");
        ConnectionUrl u = ConnectionUrl.parse("jdbc:lockstep://h:1?timeoutMs=99", p);
        assertThat(u.read()).isEqualTo(ReadConsistency.FOLLOWER);
        assertThat(u.timeoutMillis()).isEqualTo(99);
    }

    @Test
    void staleWithReadYourWritesPassesLastWriteIndex() throws SQLException {
        assertThat(ConnectionUrl.parse("jdbc:lockstep://h:1?read=stale").passLastWriteIndex()).isTrue();
        assertThat(ConnectionUrl.parse("jdbc:lockstep://h:1?read=follower").passLastWriteIndex()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:h2:mem:x",
        "jdbc:lockstep:",
        "jdbc:lockstep://",
        "jdbc:lockstep://host",
        "jdbc:lockstep://host:",
        "jdbc:lockstep://host:abc",
        "jdbc:lockstep://host:0",
        "jdbc:lockstep://host:70000",
        "jdbc:lockstep://a:1,,b:2",
        "jdbc:lockstep://h:1?read=fast",
        "jdbc:lockstep://h:1?timeoutMs=-5",
        "jdbc:lockstep://h:1?timeoutMs=abc",
        "jdbc:lockstep://h:1?retries=",
        "jdbc:lockstep://h:1?readYourWrites=maybe",
        "jdbc:lockstep://h:1?noSuchOption=1",
        "jdbc:lockstep://h:1?read",
        "jdbc:lockstep://[::1:5"
    })
    void rejectsBadUrls(String url) {
        assertThatThrownBy(() -> ConnectionUrl.parse(url))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Invalid LockstepDB URL")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }

    @Test
    void badOptionMessageNamesTheOption() {
        assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:lockstep://h:1?read=fast"))
                .hasMessageContaining("read").hasMessageContaining("linearizable, follower or stale");
        assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:lockstep://h:1?bogus=1"))
                .hasMessageContaining("unknown option 'bogus'").hasMessageContaining("timeoutMs");
        Properties p = new Properties();
        p.setProperty("maxRows", "-1");
        assertThatThrownBy(() -> ConnectionUrl.parse("jdbc:lockstep://h:1", p)).hasMessageContaining("maxRows");
    }

    @Test
    void describeListsEveryOption() {
        String d = ConnectionUrl.describe();
        for (String key : new String[] {"read", "readYourWrites", "timeoutMs", "retries", "retryIntervalMs",
                "connectTimeoutMs", "maxRows"}) {
            assertThat(d).contains(key);
        }
    }

    @Test
    void accepts() {
        assertThat(ConnectionUrl.accepts("jdbc:lockstep://h:1")).isTrue();
        assertThat(ConnectionUrl.accepts("JDBC:LOCKSTEP://h:1")).isTrue();
        assertThat(ConnectionUrl.accepts("jdbc:h2:mem:")).isFalse();
        assertThat(ConnectionUrl.accepts(null)).isFalse();
    }
}

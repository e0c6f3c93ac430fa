package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class LockstepDriverTest {
    @Test
    void registeredAndFoundByServiceLoader() throws SQLException {
        LockstepDriver.load();
        assertThat(DriverManager.getDriver("jdbc:lockstep://h:1")).isInstanceOf(LockstepDriver.class);
        assertThat(ServiceLoader.load(Driver.class).stream().map(p -> p.type().getName()).collect(Collectors.toList()))
                .contains(LockstepDriver.class.getName());
    }

    @Test
    void basics() throws SQLException {
        LockstepDriver d = LockstepDriver.load();
        assertThat(d.acceptsURL("jdbc:lockstep://h:1")).isTrue();
        assertThat(d.acceptsURL("jdbc:h2:mem:")).isFalse();
        assertThat(d.connect("jdbc:h2:mem:", null)).isNull();
        assertThat(d.jdbcCompliant()).isFalse();
        DriverPropertyInfo[] info = d.getPropertyInfo("jdbc:lockstep://h:1", null);
        assertThat(info).extracting(i -> i.name).contains("read", "readYourWrites", "timeoutMs", "retries",
                "retryIntervalMs", "connectTimeoutMs", "maxRows");
        assertThatThrownBy(() -> d.connect("jdbc:lockstep://h", null))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
    }

    @Test
    void unreachableClusterIsTransientConnectionError() throws Exception {
        int port1;
        int port2;
        try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
            port1 = s1.getLocalPort();
            port2 = s2.getLocalPort();
        }
        String url = "jdbc:lockstep://127.0.0.1:" + port1 + ",127.0.0.1:" + port2 + "?connectTimeoutMs=500";
        long start = System.nanoTime();
        assertThatThrownBy(() -> DriverManager.getConnection(url))
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("127.0.0.1:" + port1).hasMessageContaining("127.0.0.1:" + port2)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08001");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
    }
}

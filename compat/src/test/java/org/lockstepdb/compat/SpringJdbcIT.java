package org.lockstepdb.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockstepdb.server.it.SharedCluster;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring JDBC 7 against a three-replica cluster: JdbcTemplate, NamedParameterJdbcTemplate, batchUpdate counts,
 * KeyHolder, TransactionTemplate commit, explicit rollback and rollback on exception.
 */
@ExtendWith(SharedCluster.class)
class SpringJdbcIT {
    private static DataSource dataSource;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void createTable() {
        dataSource = new DriverManagerDataSource(SharedCluster.url());
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE sp_account (id BIGINT AUTO_INCREMENT PRIMARY KEY, owner VARCHAR(50) NOT NULL UNIQUE, "
                + "balance INT NOT NULL)");
    }

    @Test
    void templatesBatchesAndGeneratedKeys() {
        int[] counts = jdbc.batchUpdate("INSERT INTO sp_account (owner, balance) VALUES (?, ?)",
                List.of(new Object[] {"ann", 100}, new Object[] {"bob", 50}, new Object[] {"cy", 0}));
        assertThat(counts).containsExactly(1, 1, 1);

        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(c -> {
            PreparedStatement ps = c.prepareStatement("INSERT INTO sp_account (owner, balance) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
            ps.setString(1, "dee");
            ps.setInt(2, 7);
            return ps;
        }, keys);
        long deeId = keys.getKey().longValue();
        assertThat(jdbc.queryForObject("SELECT owner FROM sp_account WHERE id = ?", String.class, deeId)).isEqualTo("dee");

        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(dataSource);
        assertThat(named.update("UPDATE sp_account SET balance = balance + :amount WHERE owner IN (:owners)",
                new MapSqlParameterSource("amount", 10).addValue("owners", List.of("ann", "bob")))).isEqualTo(2);
        assertThat(named.queryForList("SELECT owner FROM sp_account WHERE balance > :min AND owner IN ('ann', 'bob', 'cy', 'dee') "
                + "ORDER BY owner",
                Map.of("min", 20), String.class)).containsExactly("ann", "bob");
        assertThat(jdbc.queryForObject("SELECT SUM(balance) FROM sp_account WHERE owner IN ('ann', 'bob', 'cy', 'dee')",
                Integer.class)).isEqualTo(177);
        assertThatThrownBy(() -> jdbc.update("INSERT INTO sp_account (owner, balance) VALUES ('ann', 1)"))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void transactionTemplateCommitsAndRollsBack() {
        jdbc.update("INSERT INTO sp_account (owner, balance) VALUES ('tx_from', 100), ('tx_to', 0)");
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        tx.executeWithoutResult(status -> transfer(30));
        assertThat(balances()).containsExactly(70, 30);

        tx.executeWithoutResult(status -> {
            transfer(20);
            assertThat(balances()).as("inside the transaction").containsExactly(50, 50);
            status.setRollbackOnly();
        });
        assertThat(balances()).containsExactly(70, 30);

        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            transfer(50);
            throw new IllegalStateException("payment refused");
        })).hasMessage("payment refused");
        assertThat(balances()).containsExactly(70, 30);

        Integer read = tx.execute(status -> jdbc.queryForObject("SELECT balance FROM sp_account WHERE owner = 'tx_to'",
                Integer.class));
        assertThat(read).isEqualTo(30);
    }

    private static void transfer(int amount) {
        assertThat(jdbc.update("UPDATE sp_account SET balance = balance - ? WHERE owner = 'tx_from'", amount)).isEqualTo(1);
        assertThat(jdbc.update("UPDATE sp_account SET balance = balance + ? WHERE owner = 'tx_to'", amount)).isEqualTo(1);
    }

    private static List<Integer> balances() {
        return jdbc.queryForList("SELECT balance FROM sp_account WHERE owner IN ('tx_from', 'tx_to') ORDER BY owner",
                Integer.class);
    }

    @AfterAll
    static void replicasEqual() throws SQLException {
        SharedCluster.assertReplicasEqual();
    }
}

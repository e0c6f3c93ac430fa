package org.lockstepdb.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockstepdb.server.it.SharedCluster;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Flyway 13 (flyway-core, its H2 support) against a three-replica cluster, configured both ways users do: with a
 * {@code DataSource}, and with a {@code jdbc:lockstep:} URL (as Flyway's command line and build plugins do), which
 * needs the tool-plugins module's database type.
 */
@ExtendWith(SharedCluster.class)
class FlywayIT {
    @Test
    void migratesThroughADataSource() {
        DataSource dataSource = new DriverManagerDataSource(SharedCluster.url());
        runScenario("fw_ds", "", Flyway.configure().dataSource(dataSource), new JdbcTemplate(dataSource));
    }

    /** Flyway configured by URL (its command line, Maven and Gradle plugins) finds the driver through the plugin. */
    @Test
    void migratesThroughAJdbcLockstepUrl() {
        runScenario("fw_url", "", Flyway.configure().dataSource(SharedCluster.url(), "", ""),
                new JdbcTemplate(new DriverManagerDataSource(SharedCluster.url())));
    }

    /**
     * Flyway in a schema of its own ({@code schemas(…)}): it creates the schema, then sets the connection's schema
     * inside the transaction that holds its history table's lock ({@code SET SCHEMA}, run by the driver as
     * {@code setSchema}, an operation of that transaction), so the migrations and the history table land there.
     */
    @Test
    void migratesIntoASchemaOfItsOwn() {
        DataSource dataSource = new DriverManagerDataSource(SharedCluster.url());
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        runScenario("fw_own", "FLYWAY_IT.", Flyway.configure().dataSource(dataSource).schemas("FLYWAY_IT"), jdbc);
        assertThat(jdbc.queryForList("SELECT TABLE_SCHEMA FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME IN "
                + "('FW_OWN_PERSON', 'fw_own_history') ORDER BY TABLE_NAME", String.class))
                .as("both in the schema, none in PUBLIC").containsExactly("FLYWAY_IT", "FLYWAY_IT");
    }

    /**
     * Three versioned migrations (create table; add column and index; seed rows), info, validate, a second migrate
     * that does nothing, then a migration failing at its second statement. Flyway locks its history table with
     * {@code SELECT … FOR UPDATE} and checks INFORMATION_SCHEMA.SCHEMATA inside that transaction. Its H2 support
     * runs migrations without a DDL transaction, so, as on embedded H2, the failure is recorded (success = false)
     * and the migration's transaction is rolled back: none of its rows remain.
     *
     * @param schema "" (Flyway in the connection's schema, PUBLIC), or {@code "NAME."} with {@code config} set
     *               to {@code schemas("NAME")}: qualifies the tables {@code jdbc} reads
     */
    private static void runScenario(String prefix, String schema, FluentConfiguration config, JdbcTemplate jdbc) {
        Flyway flyway = config.table(prefix + "_history").placeholders(Map.of("prefix", prefix))
                .locations("classpath:flyway/ok").cleanDisabled(true)
                // PUBLIC holds the other compat classes' tables: an existing database to Flyway
                .baselineOnMigrate(true).baselineVersion("0").load();
        String history = schema + "\"" + prefix + "_history\"";
        assertThat(Arrays.stream(flyway.info().pending()).map(i -> i.getVersion().getVersion()))
                .containsExactly("1", "2", "3");

        MigrateResult first = flyway.migrate();
        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted).isEqualTo(3);
        assertThat(first.targetSchemaVersion).isEqualTo("3");

        List<MigrationInfo> applied = Arrays.stream(flyway.info().applied())
                .filter(i -> i.getScript().endsWith(".sql")).toList();
        assertThat(applied.stream().map(i -> i.getVersion().getVersion())).containsExactly("1", "2", "3");
        assertThat(applied).allMatch(i -> i.getState() == MigrationState.SUCCESS);
        assertThat(applied).allMatch(i -> i.getInstalledOn() != null && i.getInstalledBy() != null);
        assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("3");
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();

        assertThat(jdbc.queryForList("SELECT name FROM " + schema + prefix + "_person ORDER BY id", String.class))
                .containsExactly("Ada", "Grace", "Edsger");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = ?",
                Integer.class, (prefix + "_person_email").toUpperCase())).isEqualTo(1);
        // installed_on is DEFAULT CURRENT_TIMESTAMP: the time the leader stamped on the log entry (UTC here)
        LocalDateTime installed = jdbc.queryForObject("SELECT \"installed_on\" FROM " + history
                + " WHERE \"version\" = '1'", LocalDateTime.class);
        assertThat(Duration.between(installed, LocalDateTime.now(ZoneOffset.UTC)).abs()).isLessThan(Duration.ofMinutes(2));

        MigrateResult again = flyway.migrate();
        assertThat(again.migrationsExecuted).isZero();
        assertThat(historyRows(jdbc, history)).hasSize(3);

        Flyway failing = config.locations("classpath:flyway/ok", "classpath:flyway/failing").load();
        assertThatThrownBy(failing::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContaining("V4__fails_halfway.sql");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + schema + prefix + "_person WHERE id = 10", Integer.class))
                .as("the failed migration's first insert").isZero();
        List<Map<String, Object>> rows = historyRows(jdbc, history);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(3)).containsEntry("version", "4").containsEntry("success", false);
        assertThat(failing.info().current().getState()).isEqualTo(MigrationState.FAILED);
    }

    /** The SQL migrations {@code historyTable} (a quoted, possibly qualified name) records, in order. */
    private static List<Map<String, Object>> historyRows(JdbcTemplate jdbc, String historyTable) {
        return jdbc.queryForList("SELECT \"version\", \"success\" FROM " + historyTable
                + " WHERE \"type\" = 'SQL' ORDER BY \"installed_rank\"");
    }

    @AfterAll
    static void replicasEqual() throws SQLException {
        SharedCluster.assertReplicasEqual();
    }
}

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
import org.junit.jupiter.api.Disabled;
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
    /**
     * Until a transaction can read INFORMATION_SCHEMA, Flyway's migrate stops at its first migration: it checks that
     * the schema exists ({@code SELECT COUNT(*) FROM INFORMATION_SCHEMA.SCHEMATA …}) inside the transaction that
     * holds its history table's lock, and LockstepDB refuses INFORMATION_SCHEMA there ({@code 42L05}). Everything
     * before that works, through a DataSource and through a URL: this pins the limitation; when it fails, enable
     * the two tests below.
     */
    @Test
    void migrateStopsWhereATransactionReadsInformationSchema() {
        DataSource dataSource = new DriverManagerDataSource(SharedCluster.url());
        Flyway flyway = Flyway.configure().dataSource(dataSource).table("fw_limit_history")
                .placeholders(Map.of("prefix", "fw_limit")).locations("classpath:flyway/ok").createSchemas(false).baselineOnMigrate(true)
                .baselineVersion("0").load();
        assertThat(flyway.info().pending()).hasSize(3);
        assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class)
                .hasStackTraceContaining("42L05").hasStackTraceContaining("INFORMATION_SCHEMA");
        assertThat(new JdbcTemplate(dataSource).queryForObject(
                "SELECT COUNT(*) FROM \"fw_limit_history\" WHERE \"type\" = 'SQL'", Integer.class))
                .as("migrations recorded").isZero();
        // the history table was created by CREATE TABLE … AS SELECT …, CURRENT_TIMESTAMP: the log entry's time (UTC)
        LocalDateTime created = new JdbcTemplate(dataSource).queryForObject(
                "SELECT \"installed_on\" FROM \"fw_limit_history\" WHERE \"type\" = 'TABLE'", LocalDateTime.class);
        assertThat(Duration.between(created, LocalDateTime.now(ZoneOffset.UTC)).abs()).isLessThan(Duration.ofMinutes(2));
    }

    /** Flyway configured by URL (its command line, Maven and Gradle plugins) finds the driver through the plugin. */
    @Test
    void aJdbcLockstepUrlFindsTheDriverAndFlywaysH2Support() {
        Flyway flyway = Flyway.configure().dataSource(SharedCluster.url(), "", "").table("fw_info_history")
                .placeholders(Map.of("prefix", "fw_info")).locations("classpath:flyway/ok").load();
        MigrationInfo[] pending = flyway.info().pending();
        assertThat(Arrays.stream(pending).map(i -> i.getVersion().getVersion())).containsExactly("1", "2", "3");
    }

    @Disabled("needs INFORMATION_SCHEMA reads inside transactions (see migrateStopsWhereATransactionReadsInformationSchema)")
    @Test
    void migratesThroughADataSource() {
        DataSource dataSource = new DriverManagerDataSource(SharedCluster.url());
        runScenario("fw_ds", Flyway.configure().dataSource(dataSource), new JdbcTemplate(dataSource));
    }

    @Disabled("needs INFORMATION_SCHEMA reads inside transactions (see migrateStopsWhereATransactionReadsInformationSchema)")
    @Test
    void migratesThroughAJdbcLockstepUrl() {
        runScenario("fw_url", Flyway.configure().dataSource(SharedCluster.url(), "", ""),
                new JdbcTemplate(new DriverManagerDataSource(SharedCluster.url())));
    }

    /**
     * Three versioned migrations (create table; add column and index; seed rows), info, validate, a second migrate
     * that does nothing, then a migration failing at its second statement: Flyway's H2 support runs migrations
     * without a DDL transaction, so, as on embedded H2, the failure is recorded (success = false) and the
     * migration's transaction is rolled back: none of its rows remain.
     */
    private static void runScenario(String prefix, FluentConfiguration base, JdbcTemplate jdbc) {
        // createSchemas(false): Flyway would check INFORMATION_SCHEMA for the schema inside a transaction; PUBLIC
        // exists anyway.
        FluentConfiguration config = base.table(prefix + "_history").placeholders(Map.of("prefix", prefix))
                .locations("classpath:flyway/ok").cleanDisabled(true).createSchemas(false)
                // the compat tests share one database: PUBLIC holds other tests' tables
                .baselineOnMigrate(true).baselineVersion("0");
        Flyway flyway = config.load();

        MigrateResult first = flyway.migrate();
        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted).isEqualTo(3);
        assertThat(first.targetSchemaVersion).isEqualTo("3");

        MigrationInfo[] applied = flyway.info().applied();
        assertThat(Arrays.stream(applied).map(i -> i.getVersion().getVersion())).containsExactly("1", "2", "3");
        assertThat(applied).allMatch(i -> i.getState() == MigrationState.SUCCESS);
        assertThat(applied).allMatch(i -> i.getInstalledOn() != null && i.getInstalledBy() != null);
        assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo("3");
        assertThat(flyway.validateWithResult().validationSuccessful).isTrue();

        assertThat(jdbc.queryForList("SELECT name FROM " + prefix + "_person ORDER BY id", String.class))
                .containsExactly("Ada", "Grace", "Edsger");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = ?",
                Integer.class, (prefix + "_person_email").toUpperCase())).isEqualTo(1);

        MigrateResult again = flyway.migrate();
        assertThat(again.migrationsExecuted).isZero();
        assertThat(historyRows(jdbc, prefix)).hasSize(3);

        Flyway failing = base.locations("classpath:flyway/ok", "classpath:flyway/failing").load();
        assertThatThrownBy(failing::migrate).isInstanceOf(FlywayException.class)
                .hasMessageContaining("V4__fails_halfway.sql");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + prefix + "_person WHERE id = 10", Integer.class))
                .as("the failed migration's first insert").isZero();
        List<Map<String, Object>> history = historyRows(jdbc, prefix);
        assertThat(history).hasSize(4);
        assertThat(history.get(3)).containsEntry("version", "4").containsEntry("success", false);
        assertThat(failing.info().current().getState()).isEqualTo(MigrationState.FAILED);
    }

    private static List<Map<String, Object>> historyRows(JdbcTemplate jdbc, String prefix) {
        return jdbc.queryForList("SELECT \"version\", \"success\" FROM \"" + prefix
                + "_history\" WHERE \"type\" = 'SQL' ORDER BY \"installed_rank\"");
    }

    @AfterAll
    static void replicasEqual() throws SQLException {
        SharedCluster.assertReplicasEqual();
    }
}

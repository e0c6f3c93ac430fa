package org.lockstepdb.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.core.H2Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockstepdb.server.it.SharedCluster;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Liquibase 4.33 against a three-replica cluster: a change log with createTable, addColumn, createIndex, insert and
 * addForeignKeyConstraint; update, status, rollback of the last change set, a failing change set that leaves
 * nothing and is not recorded; and Liquibase opening the database from a {@code jdbc:lockstep:} URL alone (its
 * command line's way), which picks its H2 support.
 */
@ExtendWith(SharedCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiquibaseIT {
    private static final String CHANGELOG = "liquibase/changelog.xml";
    private final JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(SharedCluster.url()));

    @Test
    @Order(1)
    void updateStatusAndRollbackOfTheLastChangeSet() throws Exception {
        try (Connection connection = SharedCluster.connect()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            assertThat(database).isInstanceOf(H2Database.class);
            Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
            assertThat(unrun(liquibase)).hasSize(5);

            liquibase.update(new Contexts(), new LabelExpression());
            assertThat(unrun(liquibase)).isEmpty();
            assertThat(jdbc.queryForList("SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED", String.class))
                    .containsExactly("1", "2", "3", "4", "5");
            assertThat(jdbc.queryForObject("SELECT b.title || ' by ' || a.name || ', ' || a.born FROM lb_book b "
                    + "JOIN lb_author a ON a.id = b.author_id", String.class))
                    .isEqualTo("A Wizard of Earthsea by Ursula, 1929-10-21");
            assertThat(indexCount("LB_BOOK_TITLE")).isEqualTo(1);
            assertThat(foreignKeyCount()).isEqualTo(1);
            assertThatThrownBy(() -> jdbc.update("INSERT INTO lb_book (id, title, author_id) VALUES (2, 'x', 99)"))
                    .hasMessageContaining("LB_BOOK_AUTHOR_FK");

            liquibase.rollback(1, (String) null);
            assertThat(foreignKeyCount()).isZero();
            assertThat(unrun(liquibase)).extracting(ChangeSet::getId).containsExactly("5");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM DATABASECHANGELOG", Integer.class)).isEqualTo(4);

            liquibase.update(new Contexts(), new LabelExpression());
            assertThat(foreignKeyCount()).isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void aFailingChangeSetLeavesNothingAndIsNotRecorded() throws Exception {
        try (Connection connection = SharedCluster.connect()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase("liquibase/failing.xml", new ClassLoaderResourceAccessor(), database);
            assertThatThrownBy(() -> liquibase.update(new Contexts(), new LabelExpression()))
                    .isInstanceOf(LiquibaseException.class).hasStackTraceContaining("PRIMARY KEY");
            assertThat(jdbc.queryForList("SELECT name FROM lb_author ORDER BY id", String.class))
                    .containsExactly("Ursula");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = '6'", Integer.class))
                    .isZero();
            assertThat(unrun(liquibase)).extracting(ChangeSet::getId).containsExactly("6");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED", Integer.class))
                    .as("the change log lock is released").isZero();
        }
    }

    /** The command line's way: only a URL. Liquibase finds the driver and picks its H2 support. */
    @Test
    @Order(3)
    void opensTheDatabaseFromAJdbcLockstepUrl() throws Exception {
        Database database = DatabaseFactory.getInstance().openDatabase(SharedCluster.url(), "", "", null, null, null,
                null, new ClassLoaderResourceAccessor());
        try {
            assertThat(database).isInstanceOf(H2Database.class);
            Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
            assertThat(unrun(liquibase)).isEmpty();
        } finally {
            database.close();
        }
    }

    private static List<ChangeSet> unrun(Liquibase liquibase) throws LiquibaseException {
        return liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression());
    }

    private int indexCount(String name) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = ?",
                Integer.class, name);
    }

    private int foreignKeyCount() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS "
                + "WHERE CONSTRAINT_NAME = 'LB_BOOK_AUTHOR_FK'", Integer.class);
    }

    @AfterAll
    static void replicasEqual() throws SQLException {
        SharedCluster.assertReplicasEqual();
    }
}

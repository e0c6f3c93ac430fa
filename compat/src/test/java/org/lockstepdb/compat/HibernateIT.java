package org.lockstepdb.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.lockstepdb.compat.hibernate.Author;
import org.lockstepdb.compat.hibernate.Book;
import org.lockstepdb.compat.hibernate.Car;
import org.lockstepdb.compat.hibernate.Vehicle;
import org.lockstepdb.server.it.SharedCluster;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Hibernate ORM 7 with {@code H2Dialect} against a three-replica cluster: the schema created by hbm2ddl, IDENTITY
 * and SEQUENCE ids, a cascaded {@code @OneToMany}, {@code @Version}, {@code @CreationTimestamp}, JPQL and Criteria,
 * rollback, and a bulk HQL update/delete of a JOINED hierarchy.
 */
@ExtendWith(SharedCluster.class)
class HibernateIT {
    private static HikariDataSource dataSource;
    private static EntityManagerFactory factory;
    private final JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(SharedCluster.url()));

    @BeforeAll
    static void createSchema() {
        // A pooled DataSource in auto-commit mode, as applications configure Hibernate (Spring Boot: HikariCP);
        // Hibernate's own pool: hibernatesBuiltInPoolStartsWithAutoCommitOff
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(SharedCluster.url());
        pool.setMaximumPoolSize(4);
        dataSource = new HikariDataSource(pool);
        factory = new HibernatePersistenceConfiguration("compat")
                .managedClasses(Author.class, Book.class, Vehicle.class, Car.class)
                .property("jakarta.persistence.nonJtaDataSource", dataSource)
                .properties(settings("create")).createEntityManagerFactory();
    }

    /** The dialect, the schema action ({@code create}, {@code validate}) and the bulk HQL strategy. */
    private static Map<String, Object> settings(String schemaAction) {
        return Map.of("hibernate.dialect", "org.hibernate.dialect.H2Dialect",
                "jakarta.persistence.schema-generation.database.action", schemaAction,
                // bulk HQL over several tables without temporary tables, which LockstepDB refuses (42L01):
                // Hibernate selects the ids, then updates or deletes each table by id
                "hibernate.query.mutation_strategy",
                "org.hibernate.query.sqm.mutation.internal.inline.InlineMutationStrategy");
    }

    @Test
    void schemaFromHbm2ddl() {
        assertThat(jdbc.queryForList("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'HB\\_%' "
                + "ESCAPE '\\' ORDER BY TABLE_NAME", String.class))
                .containsExactly("HB_AUTHOR", "HB_BOOK", "HB_CAR", "HB_VEHICLE");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SEQUENCES "
                + "WHERE SEQUENCE_NAME = 'HB_BOOK_SEQ'", Integer.class)).isEqualTo(1);
    }

    @Test
    void identityAndSequenceIdsCascadeAndQueries() {
        Instant before = Instant.now().minusSeconds(1);
        Author le = inTransaction(em -> {
            Author a = new Author("Le Guin").write("The Dispossessed").write("The Lathe of Heaven");
            em.persist(a);
            return a;
        });
        Author bu = inTransaction(em -> {
            Author a = new Author("Butler").write("Kindred");
            em.persist(a);
            return a;
        });
        assertThat(le.id).isNotNull();
        assertThat(bu.id).isGreaterThan(le.id);
        assertThat(le.books).allMatch(b -> b.id != null);
        assertThat(le.books.get(0).id).isNotEqualTo(le.books.get(1).id);
        assertThat(le.created).isBetween(before, Instant.now().plusSeconds(1));

        inTransaction(em -> {
            Author found = em.createQuery("select a from Author a join fetch a.books where a.name = :n", Author.class)
                    .setParameter("n", "Le Guin").getSingleResult();
            assertThat(found.books).extracting(b -> b.title).containsExactly("The Dispossessed", "The Lathe of Heaven");
            assertThat(found.created).isCloseTo(le.created, within());

            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<String> q = cb.createQuery(String.class);
            Root<Book> book = q.from(Book.class);
            q.select(book.get("title")).where(cb.like(book.get("title"), "%The%")).orderBy(cb.asc(book.get("title")));
            assertThat(em.createQuery(q).getResultList()).containsExactly("The Dispossessed", "The Lathe of Heaven");

            found.books.remove(0); // orphan removal
            found.write("A Wizard of Earthsea");
            return null;
        });
        assertThat(jdbc.queryForList("SELECT b.title FROM hb_book b JOIN hb_author a ON a.id = b.author_id "
                + "WHERE a.name = 'Le Guin' ORDER BY b.title", String.class))
                .containsExactly("A Wizard of Earthsea", "The Lathe of Heaven");
        assertThat(jdbc.queryForObject("SELECT version FROM hb_author WHERE id = ?", Integer.class, le.id)).isZero();
    }

    /** The version carried from one transaction to a later one (a detached entity, a web form): @Version decides. */
    @Test
    void aStaleUpdateFailsWithOptimisticLockException() {
        Long id = persistAuthor("Tiptree");
        Author detached = inTransaction(em -> em.find(Author.class, id));
        assertThat(detached.version).isZero();
        rename(id, "James Tiptree Jr.");
        detached.name = "Alice Sheldon";
        assertThatThrownBy(() -> inTransaction(em -> em.merge(detached))).isInstanceOf(OptimisticLockException.class);
        assertThat(jdbc.queryForMap("SELECT name, version FROM hb_author WHERE id = ?", id))
                .containsEntry("NAME", "James Tiptree Jr.").containsEntry("VERSION", 1);
    }

    /**
     * Inside one transaction that read the row, a concurrent commit is caught before Hibernate's version check:
     * LockstepDB's serializable validation fails the UPDATE with 40001 (embedded H2 would let the version check
     * fail it with OptimisticLockException). Either way nothing of the stale transaction is applied.
     */
    @Test
    void aConcurrentChangeInsideATransactionFailsWithASerializationFailure() {
        Long id = persistAuthor("Russ");
        EntityManager stale = factory.createEntityManager();
        try {
            stale.getTransaction().begin();
            Author old = stale.find(Author.class, id);
            rename(id, "Joanna Russ");
            old.name = "J. Russ";
            assertThatThrownBy(stale::flush).isInstanceOf(PersistenceException.class)
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("40001"));
            stale.getTransaction().rollback();
        } finally {
            stale.close();
        }
        assertThat(jdbc.queryForMap("SELECT name, version FROM hb_author WHERE id = ?", id))
                .containsEntry("NAME", "Joanna Russ").containsEntry("VERSION", 1);
    }

    private static Long persistAuthor(String name) {
        return inTransaction(em -> {
            Author a = new Author(name);
            em.persist(a);
            return a.id;
        });
    }

    /** Renames the author in a transaction of its own (another user's, committed). */
    private static void rename(Long id, String name) {
        inTransaction(em -> {
            em.find(Author.class, id).name = name;
            return null;
        });
    }

    private static String sqlState(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    @Test
    void aRolledBackTransactionLeavesNothing() {
        int authors = jdbc.queryForObject("SELECT COUNT(*) FROM hb_author", Integer.class);
        int books = jdbc.queryForObject("SELECT COUNT(*) FROM hb_book", Integer.class);
        EntityManager em = factory.createEntityManager();
        try {
            em.getTransaction().begin();
            Author a = new Author("Nobody").write("Unwritten");
            em.persist(a);
            em.flush();
            assertThat(a.id).isNotNull();
            assertThat(em.createQuery("select count(b) from Book b where b.title = 'Unwritten'", Long.class)
                    .getSingleResult()).as("seen inside the transaction").isEqualTo(1L);
            em.getTransaction().rollback();
        } finally {
            em.close();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hb_author", Integer.class)).isEqualTo(authors);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hb_book", Integer.class)).isEqualTo(books);
    }

    /** Bulk HQL over two tables: Hibernate's multi-table mutation strategy for H2. */
    @Test
    void bulkUpdateAndDeleteOfAJoinedHierarchy() {
        inTransaction(em -> {
            em.persist(new Car("ann", 3));
            em.persist(new Car("ann", 5));
            em.persist(new Car("bob", 3));
            return null;
        });
        int updated = inTransaction(em -> em.createQuery("update Car set doors = 4 where owner = 'ann'")
                .executeUpdate());
        assertThat(updated).isEqualTo(2);
        int deleted = inTransaction(em -> em.createQuery("delete from Car where owner = 'bob'").executeUpdate());
        assertThat(deleted).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT v.owner || ':' || c.doors FROM hb_vehicle v JOIN hb_car c ON c.id = v.id "
                + "ORDER BY v.owner, c.doors", String.class)).containsExactly("ann:4", "ann:4");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hb_vehicle", Integer.class)).isEqualTo(2);
    }

    /**
     * Hibernate's built-in pool (configured by URL) hands out connections with auto-commit off, so its start-up
     * reads of INFORMATION_SCHEMA.SEQUENCES and the schema validation's metadata reads run inside a transaction.
     */
    @Test
    void hibernatesBuiltInPoolStartsWithAutoCommitOff() {
        try (EntityManagerFactory own = new HibernatePersistenceConfiguration("compat-own-pool")
                .managedClasses(Author.class, Book.class, Vehicle.class, Car.class)
                .jdbcUrl(SharedCluster.url()).jdbcPoolSize(2)
                .properties(settings("validate")).createEntityManagerFactory()) {
            EntityManager em = own.createEntityManager();
            try {
                boolean autoCommit = em.unwrap(org.hibernate.Session.class).doReturningWork(c -> c.getAutoCommit());
                assertThat(autoCommit).as("the built-in pool's connections").isFalse();
                em.getTransaction().begin();
                em.persist(new Author("Lem").write("Solaris"));
                em.getTransaction().commit();
                assertThat(em.createQuery("select b.title from Book b where b.author.name = 'Lem'", String.class)
                        .getResultList()).containsExactly("Solaris");
            } finally {
                em.close();
            }
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hb_book b JOIN hb_author a ON a.id = b.author_id "
                + "WHERE a.name = 'Lem'", Integer.class)).isEqualTo(1);
    }

    private static <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return new org.assertj.core.data.TemporalUnitWithinOffset(1, java.time.temporal.ChronoUnit.MILLIS);
    }

    @AfterAll
    static void replicasEqual() throws SQLException {
        if (factory != null) {
            factory.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
        SharedCluster.assertReplicasEqual();
    }
}

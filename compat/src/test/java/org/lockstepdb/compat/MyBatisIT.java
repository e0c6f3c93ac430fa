package org.lockstepdb.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.datasource.pooled.PooledDataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockstepdb.server.it.SharedCluster;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * MyBatis 3.5 against a three-replica cluster, with its own pooled data source and JDBC transactions:
 * {@code openSession()} (auto-commit off) with commit, rollback, and close without commit; {@code useGeneratedKeys}.
 */
@ExtendWith(SharedCluster.class)
class MyBatisIT {
    private static PooledDataSource dataSource;
    private static SqlSessionFactory sessions;

    public static class Note {
        public Long id;
        public String body;
    }

    public interface NoteMapper {
        @Insert("INSERT INTO mb_note (body) VALUES (#{body})")
        @Options(useGeneratedKeys = true, keyProperty = "id")
        int insert(Note note);

        @Select("SELECT id, body FROM mb_note WHERE id = #{id}")
        Note find(long id);

        @Select("SELECT COUNT(*) FROM mb_note WHERE body = #{body}")
        int count(String body);
    }

    @BeforeAll
    static void setUp() {
        dataSource = new PooledDataSource("org.lockstepdb.jdbc.LockstepDriver", SharedCluster.url(), "", "");
        dataSource.setPoolMaximumActiveConnections(4);
        new JdbcTemplate(dataSource).execute("CREATE TABLE mb_note (id BIGINT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(100))");
        Configuration configuration = new Configuration(new Environment("compat", new JdbcTransactionFactory(), dataSource));
        configuration.addMapper(NoteMapper.class);
        sessions = new SqlSessionFactoryBuilder().build(configuration);
    }

    @Test
    void commitRollbackAndCloseWithoutCommit() {
        Note kept = note("kept");
        try (SqlSession session = sessions.openSession()) {
            NoteMapper mapper = session.getMapper(NoteMapper.class);
            assertThat(mapper.insert(kept)).isEqualTo(1);
            assertThat(kept.id).as("generated key").isNotNull();
            Note second = note("kept");
            mapper.insert(second);
            assertThat(second.id).isGreaterThan(kept.id);
            assertThat(mapper.count("kept")).as("inside the session").isEqualTo(2);
            session.commit();
        }
        try (SqlSession session = sessions.openSession()) {
            NoteMapper mapper = session.getMapper(NoteMapper.class);
            mapper.insert(note("rolled back"));
            assertThat(mapper.count("rolled back")).isEqualTo(1);
            session.rollback();
            assertThat(mapper.count("rolled back")).isZero();
        }
        try (SqlSession session = sessions.openSession()) {
            session.getMapper(NoteMapper.class).insert(note("never committed"));
        }
        try (SqlSession session = sessions.openSession()) {
            NoteMapper mapper = session.getMapper(NoteMapper.class);
            assertThat(mapper.find(kept.id).body).isEqualTo("kept");
            assertThat(mapper.count("kept")).isEqualTo(2);
            assertThat(mapper.count("rolled back")).isZero();
            assertThat(mapper.count("never committed")).isZero();
        }
    }

    private static Note note(String body) {
        Note n = new Note();
        n.body = body;
        return n;
    }

    @AfterAll
    static void replicasEqual() throws SQLException {
        if (dataSource != null) {
            dataSource.forceCloseAll();
        }
        SharedCluster.assertReplicasEqual();
    }
}

package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SetSchemaStatementTest {
    @Test
    void readsTheSchemaNameAsH2Does() {
        assertThat(SetSchemaStatement.schemaOf("SET SCHEMA sales")).isEqualTo("SALES");
        assertThat(SetSchemaStatement.schemaOf("set schema \"Sales\";")).isEqualTo("Sales");
        assertThat(SetSchemaStatement.schemaOf("SET SCHEMA 'Sales'")).isEqualTo("Sales");
        assertThat(SetSchemaStatement.schemaOf("/* flyway */ SET SCHEMA \"PUBLIC\"")).isEqualTo("PUBLIC");
    }

    @Test
    void leavesEveryOtherTextToTheServer() {
        assertThat(SetSchemaStatement.schemaOf("SET SCHEMA_SEARCH_PATH a")).isNull();
        assertThat(SetSchemaStatement.schemaOf("SET SCHEMA a.b")).isNull();
        assertThat(SetSchemaStatement.schemaOf("SET SCHEMA ?")).isNull();
        assertThat(SetSchemaStatement.schemaOf("SET SCHEMA")).isNull();
        assertThat(SetSchemaStatement.schemaOf("SET MODE MySQL")).isNull();
        assertThat(SetSchemaStatement.schemaOf("SET SCHEMA 'a")).isNull();
        assertThat(SetSchemaStatement.schemaOf("SELECT 1")).isNull();
    }
}

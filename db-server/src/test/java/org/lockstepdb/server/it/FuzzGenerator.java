package org.lockstepdb.server.it;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded generator of SQL for the determinism fuzzer: DDL and DML over a small schema that evolves as the run
 * goes (tables with and without primary key, identity columns, sequences, non-unique and unique indexes, views,
 * forced views over missing tables), DML with subqueries, INSERT … SELECT, MERGE (KEY and USING), window
 * functions, DISTINCT ON, FETCH/LIMIT, RAND()/RANDOM_UUID() in writes; mostly valid, some invalid (H2 errors and
 * guard rejections must be identical too). Interleaved: faults on replicas and verify checkpoints.
 *
 * <p>Same seed ⇒ same steps, as long as the cluster gives the same replies (the model follows which DDL
 * succeeded, see {@link #observe}). Faults are drawn from a stream split off the seed, so the statements do not
 * depend on the fault schedule's draws.
 *
 * <p>Every table has the columns {@code id, a, b, c, r, u} (and maybe {@code x}), every view at least
 * {@code id, a, b, c}, so every template fits every table and most statements are valid.
 */
final class FuzzGenerator {
    /** Statement families that exercise a divergence known to exist; a run can leave them out ({@link Config}). */
    enum Known {
        /** {@code t._ROWID_} in a write: hidden row ids differ after a rebuild from a snapshot. */
        ROWID,
        /** Writes whose effect depends on the order H2 visits rows (plan, statistics): INSERT … SELECT into
         * identity columns without ORDER BY, RAND() per row over an index range, DISTINCT ON / FETCH / window
         * functions ordered by a non-unique key, MERGE with duplicate source keys, UPDATE of a unique column. */
        ROW_ORDER,
        /** RAND()/RANDOM_UUID() of one entry repeat values of nearby entries (a check, not statements). */
        RAND_STREAM,
        /** Fixed: ORDER BY a non-unique key with FETCH/LIMIT: H2's top-N sort picks among ties with a random pivot,
         * so the rows chosen differed per execution, even on replicas that never restarted; the replicas now
         * append the selected columns as tie breakers (storage.TieBreaking). */
        TOP_N_TIES,
        /** Found by this fuzzer: a FORCE view that is invalid when created becomes valid on a replica that
         * reopens or rebuilds its database after the missing table/column appeared, and only there. */
        FORCE_VIEW,
        /** Found by this fuzzer: {@code MERGE INTO t KEY (id) SELECT … FROM t} with two source rows for one new
         * key makes H2 wait for its own row lock; LOCK_TIMEOUT is a replica failure, so every replica stops. */
        SELF_MERGE,
        /** Fixed; found by this fuzzer: state outside the checksum differs after a rebuild from a snapshot (names of
         * the indexes behind constraints after ALTER TABLE, view status): compared at every checkpoint, and H2's
         * error messages (which name indexes) compared with the reference's. */
        METADATA,
        /** Fixed; found by this fuzzer (seed 4, default families): after a rebuild from a snapshot and ALTER TABLE …
         * ADD/DROP COLUMN, identity values handed out were lost by a later clean restart of that replica (ALTER TABLE
         * left the sequence's metadata row behind its cached range: storage.SequenceRows). No statements of their
         * own: this family only marks the regression seed. */
        IDENTITY,
        /** Fixed: clock and random column defaults ({@code r DOUBLE DEFAULT RAND()}, {@code u UUID DEFAULT
         * RANDOM_UUID()}, {@code x INT DEFAULT n + EXTRACT(MILLISECOND FROM CURRENT_TIMESTAMP)} filled by ALTER TABLE
         * … ADD COLUMN and later writes): each replica evaluates them with the entry's stamp and seeded stream. */
        CLOCK_DEFAULTS
    }

    record Config(int statements, int verifyEvery, double faultChance, double installChance, Set<Known> known,
                  List<String> replicas) {
        static Config defaults(int statements) {
            return new Config(statements, 200, 1.0 / 120, 0.15, EnumSet.allOf(Known.class), List.of("n1", "n2", "n3"));
        }

        Config withKnown(Set<Known> known) {
            return new Config(statements, verifyEvery, faultChance, installChance,
                    known.isEmpty() ? EnumSet.noneOf(Known.class) : EnumSet.copyOf(known), replicas);
        }
    }

    private enum Kind { PK, IDENTITY, IDENTITY_NOPK, NOPK, SEQ_DEFAULT }

    private static final class Table {
        final String name;
        final Kind kind;
        boolean extra; // has column x
        long rows; // estimate (MERGE counts as insert)
        final Set<String> indexes = new java.util.LinkedHashSet<>();

        Table(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        boolean generatesId() {
            return kind == Kind.IDENTITY || kind == Kind.IDENTITY_NOPK || kind == Kind.SEQ_DEFAULT;
        }
    }

    private static final String[] TABLE_NAMES = {"T1", "T2", "T3", "T4", "T5"};
    private static final String[] VIEW_NAMES = {"V1", "V2", "V3"};
    private static final String[] SEQUENCE_NAMES = {"S1", "S2"};
    /** Written only by {@link #randProbe}: RAND/UUID values of distinct entries must all differ. */
    static final String PROBE_TABLE = "RAND_PROBE";
    /** Above this estimated size a table gets a DELETE instead of the statement drawn. */
    private static final int MAX_ROWS = 2500;
    /** Bounds INSERT … SELECT (a table inserting into itself would double). */
    private static final String FULL_ORDER_LIMIT = " ORDER BY s.id, s.a, s.b, s.c FETCH FIRST 150 ROWS ONLY";

    private final long seed;
    private final Config config;
    private final SplittableRandom rnd;
    private final SplittableRandom faults;
    /** Variants added after seeds were recorded draw from here, so the recorded seeds keep their statements. */
    private final SplittableRandom variants;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Set<String> views = new java.util.LinkedHashSet<>();
    private final Set<String> sequences = new java.util.LinkedHashSet<>();
    private int statementsMade;
    private int sinceVerify;
    private String down; // replica currently stopped, or null
    private int downFor;
    private int uniqueCounter;
    private boolean probeCreated;
    private boolean finished;

    FuzzGenerator(long seed, Config config) {
        this.seed = seed;
        this.config = config;
        SplittableRandom root = new SplittableRandom(seed);
        this.rnd = root.split();
        this.faults = root.split();
        this.variants = root.split();
    }

    long seed() {
        return seed;
    }

    /** The next step, or null when the run is over (after a final start and verify). */
    FuzzStep next() {
        if (finished) {
            return null;
        }
        if (down != null) {
            if (--downFor <= 0 || statementsMade >= config.statements()) {
                String r = down;
                down = null;
                return new FuzzStep.Start(r);
            }
        } else if (statementsMade >= config.statements()) {
            finished = true;
            return new FuzzStep.Verify();
        } else if (sinceVerify >= config.verifyEvery()) {
            sinceVerify = 0;
            return new FuzzStep.Verify();
        } else if (statementsMade > 20 && faults.nextDouble() < config.faultChance()) {
            String r = config.replicas().get(faults.nextInt(config.replicas().size()));
            if (faults.nextDouble() < config.installChance()) {
                return new FuzzStep.InstallFromLeader(r);
            }
            down = r;
            downFor = 1 + faults.nextInt(60);
            FuzzStep.StopMode[] modes = FuzzStep.StopMode.values();
            return new FuzzStep.Stop(r, modes[faults.nextInt(modes.length)]);
        }
        statementsMade++;
        sinceVerify++;
        return statement();
    }

    /**
     * Tells the model what a write did: DDL changes the schema only if it succeeded; update counts keep an
     * estimate of each table's size (big tables get DELETEs, so statements stay fast).
     */
    void observe(FuzzStep step, List<Long> counts) {
        if (counts == null || !(step instanceof FuzzStep.Write w)) {
            return;
        }
        for (int i = 0; i < w.sql().size() && i < counts.size(); i++) {
            String[] t = w.sql().get(i).split("[ (]+");
            Table table = t.length > 2 ? tables.get(t[2]) : null;
            if (table == null) {
                continue;
            }
            if (t[0].equals("INSERT") || t[0].equals("MERGE")) {
                table.rows += counts.get(i);
            } else if (t[0].equals("DELETE")) {
                table.rows = Math.max(0, table.rows - counts.get(i));
            } else if (t[0].equals("TRUNCATE")) {
                table.rows = 0;
            }
        }
        if (w.sql().size() != 1) {
            return;
        }
        String sql = w.sql().get(0);
        String[] t = sql.split("[ (]+");
        if (sql.startsWith("CREATE TABLE ")) {
            String name = t[2];
            if (name.equals(PROBE_TABLE)) {
                probeCreated = true;
                return;
            }
            Kind kind = sql.contains("GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY") ? Kind.IDENTITY
                    : sql.contains("AS IDENTITY") ? Kind.IDENTITY_NOPK
                    : sql.contains("DEFAULT NEXT VALUE FOR") ? Kind.SEQ_DEFAULT
                    : sql.contains("PRIMARY KEY") ? Kind.PK : Kind.NOPK;
            tables.put(name, new Table(name, kind));
        } else if (sql.startsWith("DROP TABLE ")) {
            tables.remove(sql.startsWith("DROP TABLE IF EXISTS ") ? t[4] : t[2]);
            if (sql.contains("CASCADE")) {
                views.clear(); // conservatively: the model does not track which views depended on it
            }
        } else if (sql.startsWith("CREATE INDEX ") || sql.startsWith("CREATE UNIQUE INDEX ")) {
            String index = sql.startsWith("CREATE INDEX ") ? t[2] : t[3];
            String table = sql.startsWith("CREATE INDEX ") ? t[4] : t[5];
            if (tables.containsKey(table)) {
                tables.get(table).indexes.add(index);
            }
        } else if (sql.startsWith("DROP INDEX ")) {
            tables.values().forEach(tb -> tb.indexes.remove(t[2]));
        } else if (sql.startsWith("ALTER TABLE ") && sql.contains(" ADD COLUMN x ") && tables.containsKey(t[2])) {
            tables.get(t[2]).extra = true;
        } else if (sql.startsWith("ALTER TABLE ") && sql.contains(" DROP COLUMN x") && tables.containsKey(t[2])) {
            tables.get(t[2]).extra = false;
        } else if (sql.startsWith("CREATE SEQUENCE ")) {
            sequences.add(t[2]);
        } else if (sql.startsWith("DROP SEQUENCE ")) {
            sequences.remove(t[2]);
        } else if (sql.startsWith("CREATE VIEW ") || sql.startsWith("CREATE FORCE VIEW ")
                || sql.startsWith("CREATE OR REPLACE VIEW ")) {
            views.add(sql.startsWith("CREATE VIEW ") ? t[2] : sql.startsWith("CREATE FORCE VIEW ") ? t[3] : t[4]);
        } else if (sql.startsWith("DROP VIEW ")) {
            views.remove(t[2]);
        }
    }

    // ---- statements ------------------------------------------------------------------------------------------

    private FuzzStep statement() {
        if (tables.size() < 2 || rnd.nextInt(100) < 3) {
            return createTable();
        }
        if (!probeCreated) {
            return FuzzStep.Write.of("CREATE TABLE " + PROBE_TABLE + " (k INT, r DOUBLE, u UUID)");
        }
        int roll = rnd.nextInt(1000);
        if (roll < 90) {
            return ddl();
        }
        if (roll < 170) {
            return read();
        }
        if (roll < 200) {
            return randProbe();
        }
        if (roll < 260) {
            return batch();
        }
        if (roll < 300) {
            return FuzzStep.Write.of(invalid());
        }
        return FuzzStep.Write.of(dml());
    }

    private FuzzStep createTable() {
        return FuzzStep.Write.of(createTableSql());
    }

    private String createTableSql() {
        List<String> free = new ArrayList<>();
        for (String n : TABLE_NAMES) {
            if (!tables.containsKey(n)) {
                free.add(n);
            }
        }
        String name = free.isEmpty() ? pick(TABLE_NAMES) : pick(free); // an existing name: an error
        String rest = config.known().contains(Known.CLOCK_DEFAULTS)
                ? ", a INT, b INT, c VARCHAR(40), r DOUBLE DEFAULT RAND(), u UUID DEFAULT RANDOM_UUID()"
                : ", a INT, b INT, c VARCHAR(40), r DOUBLE, u UUID";
        String check = chance(20) ? ", CHECK (a BETWEEN -5 AND 1000)" : "";
        return switch (rnd.nextInt(6)) {
            case 0, 1 -> "CREATE TABLE " + name + " (id INT PRIMARY KEY" + rest + check + ")";
            case 2 -> "CREATE TABLE " + name + " (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" + rest + check + ")";
            case 3 -> "CREATE TABLE " + name + " (id BIGINT GENERATED BY DEFAULT AS IDENTITY" + rest + check + ")";
            case 4 -> sequences.isEmpty()
                    ? "CREATE TABLE " + name + " (id INT" + rest + check + ")"
                    : "CREATE TABLE " + name + " (id BIGINT DEFAULT NEXT VALUE FOR " + pick(sequences)
                    + " PRIMARY KEY" + rest + check + ")";
            default -> "CREATE TABLE " + name + " (id INT" + rest + check + ")";
        };
    }

    private FuzzStep ddl() {
        Table t = table();
        String sql = switch (rnd.nextInt(20)) {
            case 0 -> "CREATE INDEX " + t.name + "_A ON " + t.name + " (a)";
            case 1 -> "CREATE INDEX " + t.name + "_B ON " + t.name + " (b)";
            case 2 -> "CREATE INDEX " + t.name + "_AB ON " + t.name + " (a, b)";
            case 3 -> "CREATE UNIQUE INDEX " + t.name + "_UC ON " + t.name + " (c)";
            case 4 -> t.indexes.isEmpty() ? "CREATE INDEX " + t.name + "_B ON " + t.name + " (b)"
                    : "DROP INDEX " + pick(t.indexes);
            case 5 -> t.extra ? "ALTER TABLE " + t.name + " DROP COLUMN x"
                    : "ALTER TABLE " + t.name + " ADD COLUMN x INT DEFAULT " + rnd.nextInt(5)
                    + (config.known().contains(Known.CLOCK_DEFAULTS) ? " + EXTRACT(MILLISECOND FROM CURRENT_TIMESTAMP)" : "");
            case 6 -> "CREATE SEQUENCE " + pick(SEQUENCE_NAMES) + (chance(50) ? " CACHE " + (1 + rnd.nextInt(40)) : "")
                    + (chance(30) ? " START WITH " + rnd.nextInt(100) : "");
            case 7 -> sequences.isEmpty() ? "CREATE SEQUENCE S1" : "ALTER SEQUENCE " + pick(sequences)
                    + " RESTART WITH " + rnd.nextInt(5000);
            case 8 -> sequences.isEmpty() ? "CREATE SEQUENCE S2 CACHE 5" : "DROP SEQUENCE " + pick(sequences);
            case 9, 10 -> createView();
            case 11 -> views.isEmpty() ? createView() : "DROP VIEW " + pick(views) + (chance(30) ? " CASCADE" : "");
            case 12 -> "TRUNCATE TABLE " + t.name + (chance(50) ? " RESTART IDENTITY" : "");
            case 13 -> t.generatesId() && t.kind != Kind.SEQ_DEFAULT
                    ? "ALTER TABLE " + t.name + " ALTER COLUMN id RESTART WITH " + (1 + rnd.nextInt(5000))
                    : "CREATE INDEX " + t.name + "_A ON " + t.name + " (a)";
            case 14 -> tables.size() > 2 ? "DROP TABLE " + t.name + (chance(50) ? " CASCADE" : "")
                    : createTableSql();
            case 15 -> t.name.endsWith("_COPY") ? "DROP TABLE " + t.name
                    : "CREATE TABLE " + t.name + "_COPY AS SELECT * FROM " + t.name;
            case 16 -> "ALTER TABLE " + t.name + " ADD CONSTRAINT " + t.name + "_CK CHECK (b < 1000)";
            case 17 -> "COMMENT ON TABLE " + t.name + " IS 'c" + rnd.nextInt(100) + "'";
            case 18 -> t.name.endsWith("_COPY") ? "TRUNCATE TABLE " + t.name
                    : "CREATE TABLE " + t.name + "_COPY AS SELECT * FROM " + t.name + " WITH NO DATA";
            default -> "DROP TABLE IF EXISTS " + (t.name.endsWith("_COPY") ? t.name : t.name + "_COPY");
        };
        return FuzzStep.Write.of(sql);
    }

    private String createView() {
        String v = pick(VIEW_NAMES);
        Table t = table();
        return switch (rnd.nextInt(6)) {
            case 0 -> "CREATE VIEW " + v + " AS SELECT id, a, b, c FROM " + t.name + " WHERE a < " + rnd.nextInt(20);
            case 1 -> "CREATE OR REPLACE VIEW " + v + " AS SELECT a AS id, COUNT(*) AS a, SUM(b) AS b, MAX(c) AS c FROM "
                    + t.name + " GROUP BY a";
            case 2 -> "CREATE VIEW " + v + " AS SELECT * FROM " + t.name;
            // a view over a table that may not exist (yet): valid or not depending on the schema at (re)compile
            case 3 -> config.known().contains(Known.FORCE_VIEW)
                    ? "CREATE FORCE VIEW " + v + " AS SELECT id, a, b, c FROM " + pick(TABLE_NAMES)
                    : "CREATE VIEW " + v + " AS SELECT id, a, b, c FROM " + t.name + " WHERE b > 2";
            case 4 -> config.known().contains(Known.FORCE_VIEW)
                    ? "CREATE FORCE VIEW " + v + " AS SELECT id, a, b, x AS c FROM " + t.name
                    : "CREATE VIEW " + v + " AS SELECT id, a, b, c FROM " + t.name + " WHERE MOD(a, 2) = 0";
            default -> "CREATE OR REPLACE VIEW " + v + " AS SELECT t.id, t.a, s.b, s.c FROM " + t.name
                    + " t JOIN " + table().name + " s ON t.id = s.id";
        };
    }

    private FuzzStep batch() {
        int n = 2 + rnd.nextInt(3);
        List<String> sql = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sql.add(chance(10) ? invalid() : dml());
        }
        return new FuzzStep.Write(sql);
    }

    private FuzzStep randProbe() {
        int k = ++uniqueCounter;
        return FuzzStep.Write.of(switch (rnd.nextInt(3)) {
            case 0 -> "INSERT INTO " + PROBE_TABLE + " VALUES (" + k + ", RAND(), RANDOM_UUID())";
            case 1 -> "INSERT INTO " + PROBE_TABLE + " SELECT " + k + ", RAND(), RANDOM_UUID() FROM SYSTEM_RANGE(1, "
                    + (1 + rnd.nextInt(60)) + ")";
            default -> "INSERT INTO " + PROBE_TABLE + " VALUES (" + k + ", RAND(), RANDOM_UUID()), (" + k
                    + ", RAND(), UUID())";
        });
    }

    /** Expressions of a row of table/view alias {@code s} with columns id, a, b, c. */
    private String dml() {
        Table t = table();
        String tn = t.name;
        if (t.rows > MAX_ROWS) {
            return rnd.nextInt(4) == 0 ? "TRUNCATE TABLE " + tn : "DELETE FROM " + tn + " WHERE b < " + (3 + rnd.nextInt(7));
        }
        String src = source();
        int a = rnd.nextInt(20);
        int b = rnd.nextInt(10);
        int drawn = rnd.nextInt(30);
        int alternative = rnd.nextInt(22); // always drawn: the stream does not depend on the known set
        Known family = drawn < 22 ? null : drawn == 26 ? Known.TOP_N_TIES : Known.ROW_ORDER;
        switch (family == null || config.known().contains(family) ? drawn : alternative) {
            case 0, 1, 2:
                return insertValues(t);
            case 3, 4: {
                int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 800 : 120);
                int off = rnd.nextInt(4000);
                return "INSERT INTO " + tn + " (" + (t.generatesId() ? "" : "id, ") + "a, b, c) SELECT "
                        + (t.generatesId() ? "" : "X + " + off + ", ") + "MOD(X * " + (1 + rnd.nextInt(13)) + ", "
                        + (2 + rnd.nextInt(20)) + "), MOD(X, " + (1 + rnd.nextInt(10)) + "), 'g' || (X + " + off
                        + ") FROM SYSTEM_RANGE(1, " + n + ")";
            }
            case 5:
                return "UPDATE " + tn + " SET b = b + 1 WHERE a > " + a + " AND b < " + b;
            case 6:
                return "UPDATE " + tn + " SET c = (SELECT MAX(s.c) FROM " + src + " s WHERE s.a = " + tn + ".a) WHERE b = " + b;
            case 7:
                return "DELETE FROM " + tn + " WHERE a IN (SELECT s.a FROM " + src + " s WHERE s.b > " + b + ")";
            case 8:
                return "DELETE FROM " + tn + " WHERE id IN (SELECT id FROM " + tn + " WHERE a >= " + a
                        + " ORDER BY id FETCH FIRST " + (1 + rnd.nextInt(20)) + " ROWS ONLY)";
            case 9:
                return "MERGE INTO " + tn + " (id, a, b, c) KEY (id) VALUES (" + rnd.nextInt(3000) + ", " + a + ", "
                        + b + ", 'm" + rnd.nextInt(1000) + "')";
            case 10:
                return "MERGE INTO " + tn + " t USING (SELECT id, a, b, c FROM " + src + " WHERE a = " + a
                        + ") s ON t.id = s.id WHEN MATCHED THEN UPDATE SET t.b = t.b + s.b WHEN NOT MATCHED THEN "
                        + "INSERT (id, a, b, c) VALUES (s.id, s.a, s.b, s.c)";
            case 11:
                return "INSERT INTO " + tn + " (id, a, b, c) SELECT s.id + " + (5000 + rnd.nextInt(5000))
                        + ", s.a, s.b, s.c FROM " + src + " s WHERE s.a = " + a + " ORDER BY s.id, s.a, s.b, s.c FETCH FIRST "
                        + (1 + rnd.nextInt(30)) + " ROWS ONLY";
            case 12:
                return "UPDATE " + tn + " SET r = RAND() WHERE id = " + rnd.nextInt(3000);
            case 13:
                return "UPDATE " + tn + " SET u = RANDOM_UUID(), r = RAND() WHERE b = " + b;
            case 14:
                return "INSERT INTO " + tn + " (id, a, b, c) SELECT s.id + " + (10000 + rnd.nextInt(5000))
                        + ", s.a, RANK() OVER (PARTITION BY s.a ORDER BY s.b), s.c FROM " + src + " s WHERE s.b = " + b
                        + FULL_ORDER_LIMIT;
            case 15:
                return "INSERT INTO " + tn + " (id, a, b, c) SELECT s.id + " + (20000 + rnd.nextInt(5000))
                        + ", s.a, ROW_NUMBER() OVER (ORDER BY s.id, s.a, s.b, s.c), s.c FROM " + src + " s WHERE s.a = " + a
                        + FULL_ORDER_LIMIT;
            case 16:
                return "INSERT INTO " + tn + " (id, a, b, c) SELECT q.id + " + (30000 + rnd.nextInt(5000))
                        + ", q.a, q.b, q.c FROM (SELECT DISTINCT ON (s.a) s.id, s.a, s.b, s.c FROM " + src
                        + " s ORDER BY s.a, s.id, s.b, s.c) q";
            case 17:
                return sequences.isEmpty() ? insertValues(t)
                        : "INSERT INTO " + tn + " (id, a, b, c) VALUES (NEXT VALUE FOR " + pick(sequences) + ", " + a
                        + ", " + b + ", 's')";
            case 18:
                return "UPDATE " + tn + " SET a = a + 1 WHERE id IN (SELECT s.id FROM " + src
                        + " s WHERE s.b = " + b + ") AND a < 1000";
            case 19:
                return "DELETE FROM " + tn + " WHERE b = " + b + " AND a > " + a;
            case 20:
                return "UPDATE " + tn + " SET c = CONCAT(c, '+') WHERE id IN (SELECT id FROM " + tn
                        + " ORDER BY id LIMIT " + (1 + rnd.nextInt(5)) + " OFFSET " + rnd.nextInt(5) + ")";
            case 21:
                return "INSERT INTO " + tn + " (a, b, c, r) SELECT s.a, s.b, s.c, 0.5 FROM " + src
                        + " s WHERE s.b = " + b + (t.generatesId() ? "" : " AND 1 = 0") + FULL_ORDER_LIMIT;
            // ---- row-order dependent (Known.ROW_ORDER) ----
            case 22:
                // identity values are handed out in the order the SELECT produces rows
                return "INSERT INTO " + identityOr(t) + " (a, b, c) SELECT s.a, s.b, s.c FROM " + src + " s WHERE s.a > " + a
                        + " AND s.b < " + b + " AND s.a < " + (a + 4);
            case 23:
                int variant = variants.nextInt(3);
                if (variant == 1) {
                    // equality/IN conditions: the index H2 picks depends on column selectivity (ANALYZE statistics)
                    return "UPDATE " + tn + " SET r = RAND() WHERE a IN (" + a + ", " + (a + 1) + ", " + (a + 2)
                            + ") AND b IN (" + b + ", " + (b + 1) + ")";
                }
                if (variant == 0) {
                    // a floating-point sum depends on the order of its terms
                    return "UPDATE " + tn + " SET r = (SELECT SUM(s.r) + AVG(s.r) FROM " + tn
                            + " s WHERE s.a > " + a + " AND s.b < " + b + ") WHERE id = " + variants.nextInt(3000);
                }
                // RAND per row in visiting order: index on a, index on b or a scan
                return "UPDATE " + tn + " SET r = RAND() WHERE a > " + a + " AND b < " + b;
            case 24:
                return "UPDATE " + tn + " SET u = RANDOM_UUID() WHERE a BETWEEN " + a + " AND " + (a + 5) + " AND b >= " + b;
            case 25:
                // ties on a broken by visiting order
                return "INSERT INTO " + tn + " (id, a, b, c) SELECT DISTINCT ON (s.a) s.a + " + (40000 + rnd.nextInt(5000))
                        + ", s.a, s.b, s.c FROM " + src + " s WHERE s.b > " + b + " ORDER BY s.a";
            case 26:
                return "INSERT INTO " + tn + " (id, a, b, c) SELECT s.id + " + (50000 + rnd.nextInt(5000))
                        + ", s.a, s.b, s.c FROM " + src + " s WHERE s.b < " + b + " ORDER BY s.a FETCH FIRST "
                        + (1 + rnd.nextInt(10)) + " ROWS ONLY";
            case 27:
                return "INSERT INTO " + tn + " (id, a, b, c) SELECT s.id + " + (60000 + rnd.nextInt(5000))
                        + ", s.a, ROW_NUMBER() OVER (PARTITION BY s.b ORDER BY s.a), s.c FROM " + src + " s WHERE s.a = " + a;
            case 28: {
                // several source rows per key: the last one visited wins. From the target table itself, H2 waits
                // for its own lock (Known.SELF_MERGE), so only from another table unless that family is on.
                // (a view may read the target too)
                boolean mayReadTarget = src.equals(tn) || views.contains(src);
                String from = mayReadTarget && !config.known().contains(Known.SELF_MERGE) ? otherThan(tn) : src;
                return from == null ? insertValues(t) : "MERGE INTO " + tn + " (id, a, b, c) KEY (id) SELECT MOD(s.a, 7) + "
                        + (70000 + rnd.nextInt(100)) + ", s.a, s.b, s.c FROM " + from + " s WHERE s.b = " + b;
            }
            default:
                // a unique column updated row by row: a transient duplicate depends on the visiting order
                return "UPDATE " + tn + " SET c = CONCAT('k', CAST(a + 1 AS VARCHAR)) WHERE a > " + a + " AND b > " + b;
        }
    }

    private String otherThan(String name) {
        for (Table other : tables.values()) {
            if (!other.name.equals(name)) {
                return other.name;
            }
        }
        return null;
    }

    private String identityOr(Table t) {
        if (t.generatesId()) {
            return t.name;
        }
        for (Table other : tables.values()) {
            if (other.generatesId()) {
                return other.name;
            }
        }
        return t.name;
    }

    private String insertValues(Table t) {
        int rows = 1 + rnd.nextInt(4);
        StringBuilder sb = new StringBuilder("INSERT INTO " + t.name);
        boolean omitId = t.generatesId() && chance(80);
        boolean rand = chance(15);
        sb.append(omitId ? " (a, b, c" : " (id, a, b, c").append(rand ? ", r, u)" : ")").append(" VALUES ");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "(" : ", (");
            if (!omitId) {
                sb.append(rnd.nextInt(3000)).append(", ");
            }
            sb.append(chance(5) ? "NULL" : Integer.toString(rnd.nextInt(20))).append(", ").append(rnd.nextInt(10))
                    .append(", 'v").append(rnd.nextInt(500)).append("'");
            if (rand) {
                sb.append(", RAND(), RANDOM_UUID()");
            }
            sb.append(")");
        }
        return sb.toString();
    }

    /** Statements that fail: in H2 on every replica (and the reference) or in the guard before the log. */
    private String invalid() {
        Table t = table();
        int drawn = rnd.nextInt(14);
        int alternative = rnd.nextInt(12);
        return switch (drawn < 12 || config.known().contains(Known.ROWID) ? drawn : alternative) {
            case 0 -> "INSERT INTO " + t.name + " (id, a, b, c) VALUES (1, 'not a number', 1, 'x')";
            case 1 -> "UPDATE " + t.name + " SET a = a / 0 WHERE b = " + rnd.nextInt(10);
            case 2 -> "INSERT INTO NO_SUCH_TABLE VALUES (1)";
            case 3 -> "UPDATE " + t.name + " SET nosuch = 1";
            case 4 -> "UPDATE " + t.name + " SET c = 'x' WHERE id IN (SELECT id FROM " + t.name + " FETCH FIRST 3 ROWS ONLY)"; // 42L06
            case 5 -> "DELETE FROM " + t.name + " WHERE ROWNUM < 3"; // 42L06
            case 6 -> "SET MAX_MEMORY_ROWS 10"; // 0AL02
            case 7 -> "INSERT INTO " + t.name + " (id, a, b, c) VALUES (1, 2000, 1, 'check')"; // CHECK, if any
            case 8 -> "INSERT INTO " + t.name + " (id, a, b, c) VALUES (1, 1, 1, '"
                    + "y".repeat(41) + "')"; // value too long
            case 9 -> "UPDATE " + t.name + " SET c = LISTAGG(c, ',')"; // 42L06 (or an H2 error)
            case 10 -> "ANALYZE TABLE " + t.name; // 42L01
            case 11 -> "INSERT INTO " + t.name + " (id, a, b, c) SELECT id, a, b, c FROM " + t.name; // duplicate key (PK)
            case 12 -> "UPDATE " + t.name + " SET b = " + t.name + "._ROWID_ WHERE a = " + rnd.nextInt(20);
            default -> "INSERT INTO " + t.name + " (id, a, b, c) SELECT s._ROWID_ + " + (80000 + rnd.nextInt(1000))
                    + ", s.a, s.b, s.c FROM " + table().name + " s WHERE s.b = " + rnd.nextInt(10);
        };
    }

    private FuzzStep read() {
        String src = rnd.nextInt(4) == 0 && !views.isEmpty() ? pick(views) : table().name;
        String row = "CONCAT_WS('|', " + str("s.id") + ", " + str("s.a") + ", " + str("s.b") + ", " + str("s.c") + ")";
        return new FuzzStep.Read(switch (rnd.nextInt(5)) {
            case 0 -> "SELECT " + row + " AS k FROM " + src + " s ORDER BY k";
            case 1 -> "SELECT " + row + " AS k FROM " + src + " s WHERE s.a > " + rnd.nextInt(20) + " AND s.b < "
                    + rnd.nextInt(10) + " ORDER BY k";
            case 2 -> "SELECT CONCAT_WS('|', " + str("COUNT(*)") + ", " + str("SUM(s.a)") + ", " + str("MIN(s.c)")
                    + ", " + str("COUNT(DISTINCT s.b)") + ") FROM " + src + " s";
            case 3 -> "SELECT CONCAT_WS('|', " + str("s.a") + ", " + str("COUNT(*)") + ", " + str("MAX(s.id)")
                    + ") AS k FROM " + src + " s GROUP BY s.a ORDER BY k";
            default -> "SELECT CONCAT_WS('|', " + str("s.id") + ", " + str("s.a") + ", "
                    + str("DENSE_RANK() OVER (ORDER BY s.a)") + ") AS k FROM " + src + " s ORDER BY k FETCH FIRST 50 ROWS ONLY";
        });
    }

    private static String str(String expr) {
        return "COALESCE(CAST(" + expr + " AS VARCHAR), '~')";
    }

    private String source() {
        if (!views.isEmpty() && rnd.nextInt(5) == 0) {
            return pick(views);
        }
        return table().name;
    }

    private Table table() {
        if (tables.isEmpty()) {
            return new Table(pick(TABLE_NAMES), Kind.NOPK);
        }
        List<Table> all = new ArrayList<>(tables.values());
        return all.get(rnd.nextInt(all.size()));
    }

    private boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    private String pick(String[] names) {
        return names[rnd.nextInt(names.length)];
    }

    private String pick(java.util.Collection<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.get(rnd.nextInt(l.size()));
    }
}

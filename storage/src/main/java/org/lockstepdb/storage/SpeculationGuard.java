package org.lockstepdb.storage;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.engine.Constants;
import org.h2.engine.SessionLocal;
import org.h2.mvstore.db.MVPrimaryIndex;
import org.h2.mvstore.db.MVTable;
import org.h2.schema.Schema;
import org.h2.schema.Sequence;
import org.h2.table.Table;

/**
 * Captures, before a transaction that will be rolled back, the H2 state that DML changes and ROLLBACK does not
 * restore, and puts it back after the rollback, so that the replica is exactly as if the transaction never ran
 * (the research behind it: sequences and identity columns advance outside transactions; without this a replica
 * that speculated would store other identity values, row keys and sequence values than the others):
 * <ul>
 *   <li>every {@link Sequence}, named or behind an identity column: its {@code baseValue}, {@code margin} (the
 *       end of the range cached in memory) and {@code cycle} (exhausted or not). If the transaction crossed the
 *       cache margin, H2 already rewrote and committed the sequence's row in its metadata; restore rewrites it
 *       from the restored margin ({@link Sequence#flush}), which gives the same row text as before;</li>
 *   <li>every {@link MVTable}'s {@link MVPrimaryIndex} {@code lastKey}: the hidden row key ({@code _ROWID_}) the
 *       next insert into a table without a single-column integer primary key takes.</li>
 * </ul>
 *
 * <p>Must run on the thread that applies log entries, with the apply lock held from capture to restore, so
 * nothing else writes in between (query sessions cannot change these). H2 version pinned ({@link H2Internals}).
 */
final class SpeculationGuard {
    private static final Field BASE = H2Internals.field(Sequence.class, "baseValue", long.class);
    private static final Field MARGIN = H2Internals.field(Sequence.class, "margin", long.class);
    private static final Field CYCLE = H2Internals.field(Sequence.class, "cycle", Sequence.Cycle.class);
    private static final Field LAST_KEY = H2Internals.field(MVPrimaryIndex.class, "lastKey", AtomicLong.class);

    private record SequenceState(Sequence sequence, long base, long margin, Sequence.Cycle cycle) {
    }

    private record RowKeyState(MVPrimaryIndex index, long lastKey) {
    }

    /** What {@link #restore()} had to put back, for tests and logs. */
    record Restored(int sequences, int metaRowsRewritten, int rowKeys) {
        boolean nothing() {
            return sequences == 0 && rowKeys == 0;
        }
    }

    private final List<SequenceState> sequences = new ArrayList<>();
    private final List<RowKeyState> rowKeys = new ArrayList<>();

    private SpeculationGuard() {
    }

    /** Captures the state of the database {@code anySession} is connected to. */
    static SpeculationGuard capture(Connection anySession) throws SQLException {
        SessionLocal session = H2Internals.session(anySession);
        SpeculationGuard g = new SpeculationGuard();
        try {
            for (Schema schema : session.getDatabase().getAllSchemas()) {
                if (schema.getId() == Constants.INFORMATION_SCHEMA_ID) {
                    continue; // virtual tables only, built on each call: nothing DML changes
                }
                for (Sequence s : schema.getAllSequences()) {
                    synchronized (s) { // Sequence.getNext synchronizes on the sequence
                        g.sequences.add(new SequenceState(s, BASE.getLong(s), MARGIN.getLong(s),
                                (Sequence.Cycle) CYCLE.get(s)));
                    }
                }
                for (Table t : schema.getAllTablesAndViews(session)) {
                    if (t instanceof MVTable mv && mv.getScanIndex(session) instanceof MVPrimaryIndex pk) {
                        g.rowKeys.add(new RowKeyState(pk, ((AtomicLong) LAST_KEY.get(pk)).get()));
                    }
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read H2 internals", e);
        }
        return g;
    }

    /**
     * Puts the captured state back. Call after the transaction rolled back (or its session closed).
     *
     * @throws SQLException if H2 fails to rewrite a sequence's metadata row: the replica's state is then unknown
     *                      and the caller must stop it
     */
    Restored restore() throws SQLException {
        int restoredSequences = 0;
        int metaRows = 0;
        int keys = 0;
        try {
            for (SequenceState st : sequences) {
                Sequence s = st.sequence();
                boolean rewriteMeta;
                synchronized (s) {
                    Object cycle = CYCLE.get(s);
                    long margin = MARGIN.getLong(s);
                    if (BASE.getLong(s) == st.base() && margin == st.margin() && cycle == st.cycle()) {
                        continue;
                    }
                    // H2 flushes the meta row exactly when the margin moves or the sequence becomes exhausted
                    rewriteMeta = margin != st.margin() || cycle != st.cycle();
                    BASE.setLong(s, st.base());
                    MARGIN.setLong(s, st.margin());
                    CYCLE.set(s, st.cycle());
                }
                restoredSequences++;
                if (rewriteMeta && !s.isTemporary()) {
                    s.flush(null); // the system session writes getCreateSQL() from the restored margin and commits
                    metaRows++;
                }
            }
            for (RowKeyState k : rowKeys) {
                AtomicLong last = (AtomicLong) LAST_KEY.get(k.index());
                if (last.get() != k.lastKey()) {
                    last.set(k.lastKey());
                    keys++;
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot restore H2 internals", e);
        } catch (RuntimeException e) {
            throw new SQLException("restoring sequences and row keys after a rolled-back transaction failed: " + e, e);
        }
        return new Restored(restoredSequences, metaRows, keys);
    }
}

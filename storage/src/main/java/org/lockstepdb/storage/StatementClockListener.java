package org.lockstepdb.storage;

import org.h2.api.DatabaseEventListener;

/**
 * H2's callback at the start of every statement ({@code SET DATABASE_EVENT_LISTENER}, installed by
 * {@link EntryClock#attach}); public only because H2 creates it by class name. Not an API.
 *
 * <p>Why: H2 commits before it runs a DDL statement, which drops the clock {@link EntryClock} pinned for the
 * entry, and only then runs the statement; this callback comes after that commit and before the statement's
 * work (e.g. {@code ALTER TABLE … ADD COLUMN … DEFAULT CURRENT_TIMESTAMP} filling existing rows), and pins the
 * clock again on the applying thread. On any other thread it does nothing.
 */
public final class StatementClockListener implements DatabaseEventListener {
    public StatementClockListener() {
        // created by H2
    }

    @Override
    public void setProgress(int state, String name, long x, long max) {
        if (state == STATE_STATEMENT_START) {
            EntryClock.repin();
        }
    }
}

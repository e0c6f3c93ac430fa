package org.lockstepdb.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** The statements of one connection that are still open, so that closing the connection closes them. Thread-safe. */
final class OpenStatements {
    private final Set<StatementCore> open = Collections.newSetFromMap(new IdentityHashMap<>());

    synchronized void add(StatementCore s) {
        open.add(s);
    }

    synchronized void remove(StatementCore s) {
        open.remove(s);
    }

    /** Closes every open statement (without calling back into the connection) and forgets them. */
    void closeAll() {
        List<StatementCore> toClose;
        synchronized (this) {
            toClose = new ArrayList<>(open);
            open.clear();
        }
        for (StatementCore s : toClose) {
            s.closeQuietly();
        }
    }
}

package org.lockstepdb.jdbc;

import java.util.Locale;

/** How a connection's queries are served (the {@code read} URL option). Writes always go through the leader and the log. */
public enum ReadConsistency {
    /** Ratis ReadIndex on the leader: every query sees every write acknowledged before it started. The default. */
    LINEARIZABLE,
    /** Linearizable too, but answered by a follower (the follower asks the leader for the read index): spreads read load. */
    FOLLOWER,
    /**
     * Served by a follower from its local state without contacting the leader: may be behind. With
     * {@code readYourWrites=true} (the default) it is never older than this connection's last write.
     */
    STALE;

    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ReadConsistency parse(String text) {
        for (ReadConsistency c : values()) {
            if (c.optionValue().equalsIgnoreCase(text.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("must be linearizable, follower or stale, not '" + text + "'");
    }
}

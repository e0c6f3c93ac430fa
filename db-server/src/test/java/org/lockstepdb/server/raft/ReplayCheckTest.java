package org.lockstepdb.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;
import org.lockstepdb.storage.AppliedIndex;

class ReplayCheckTest {
    /** A log holding entries 11..20: 11..15 of term 2, 16..20 of term 3. */
    private static final Map<Long, Long> TERMS = Map.of(11L, 2L, 12L, 2L, 13L, 2L, 14L, 2L, 15L, 2L,
            16L, 3L, 17L, 3L, 18L, 3L, 19L, 3L, 20L, 3L);

    private static Optional<String> check(long term, long index, AppliedIndex snapshot) {
        return ReplayCheck.problem(new AppliedIndex(term, index), snapshot, 11, 20,
                i -> TERMS.containsKey(i) ? TermIndex.valueOf(TERMS.get(i), i) : null);
    }

    @Test
    void anEmptyDatabaseReplaysAnyLog() {
        assertThat(check(0, -1, null)).isEmpty();
    }

    @Test
    void theStoredEntryMustBeTheLogsEntry() {
        assertThat(check(2, 13, null)).isEmpty();
        assertThat(check(3, 20, new AppliedIndex(2, 10))).isEmpty();
        assertThat(check(4, 17, null)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("entry 17 of term 4").contains("is of term 3").contains("different histories");
    }

    @Test
    void anEntryPurgedFromTheLogMustBeTheSnapshotsEntry() {
        assertThat(check(2, 10, new AppliedIndex(2, 10))).isEmpty();
        assertThat(check(1, 10, new AppliedIndex(2, 10))).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("the latest snapshot holds entry 10 of term 2");
        assertThat(check(2, 5, new AppliedIndex(2, 10))).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("holds entries 11 to 20").contains("latest snapshot holds the log up to entry 10");
        assertThat(check(2, 10, null)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("there is no snapshot");
    }

    @Test
    void aSnapshotRegisteredAfterMetadataEntriesHoldsTheDatabaseOfItsLastSqlEntry() {
        // Ratis registered the snapshot at 12 (entry 12 is a configuration entry); its file holds entry 11.
        // The log after a snapshot install starts at 13.
        Optional<String> afterInstall = ReplayCheck.problem(new AppliedIndex(2, 11), new AppliedIndex(2, 11), 13, 14,
                i -> TermIndex.valueOf(2, i));
        assertThat(afterInstall).isEmpty();
    }

    @Test
    void aDatabaseAheadOfTheLogIsRefused() {
        assertThat(check(3, 25, null)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("up to entry 25").contains("would skip or misapply");
        Optional<String> emptyLog = ReplayCheck.problem(new AppliedIndex(1, 3), null, 0, -1, i -> null);
        assertThat(emptyLog).get(org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("the Raft log is empty");
    }
}

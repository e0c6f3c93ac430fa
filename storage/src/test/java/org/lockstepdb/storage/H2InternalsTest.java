package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.db.MVPrimaryIndex;
import org.h2.schema.Sequence;
import org.junit.jupiter.api.Test;

/** The H2 internals speculation restores are found, and a difference fails fast with a clear message. */
class H2InternalsTest {
    @Test
    void theInternalsOfThePinnedVersionAreThere() {
        assertThat(H2Internals.runningVersion()).isEqualTo(H2Internals.PINNED_VERSION);
        H2Internals.checkVersion();
        assertThat(H2Internals.field(Sequence.class, "baseValue", long.class).getType()).isEqualTo(long.class);
        assertThat(H2Internals.field(MVPrimaryIndex.class, "lastKey", AtomicLong.class)).isNotNull();
    }

    @Test
    void aMissingOrDifferentFieldIsAClearError() {
        assertThatThrownBy(() -> H2Internals.field(Sequence.class, "noSuchField", long.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("H2 internals differ")
                .hasMessageContaining("org.h2.schema.Sequence.noSuchField").hasMessageContaining("2.5.252");
        assertThatThrownBy(() -> H2Internals.field(Sequence.class, "baseValue", int.class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is a long, expected int");
    }
}

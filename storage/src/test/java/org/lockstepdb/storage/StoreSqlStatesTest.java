package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreSqlStatesTest {
    @Test
    void everySqlStateIsWellFormedAndMeansOneThing() throws Exception {
        List<String> states = new ArrayList<>();
        for (Field f : StoreSqlStates.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                states.add((String) f.get(null));
            }
        }
        assertThat(states).hasSizeGreaterThanOrEqualTo(15).doesNotHaveDuplicates()
                .allSatisfy(s -> assertThat(s).matches("[0-9A-Z]{5}"));
    }
}

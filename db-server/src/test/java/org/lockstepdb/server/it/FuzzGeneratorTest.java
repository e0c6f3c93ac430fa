package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lockstepdb.server.it.FuzzGenerator.Known;

/** The generator alone: reproducible per seed, families really left out, faults and checkpoints present. */
class FuzzGeneratorTest {
    /** All steps of a run in which every write succeeds and changes one row. */
    private static List<FuzzStep> steps(long seed, FuzzGenerator.Config config) {
        FuzzGenerator g = new FuzzGenerator(seed, config);
        List<FuzzStep> out = new ArrayList<>();
        for (FuzzStep s = g.next(); s != null; s = g.next()) {
            out.add(s);
            if (s instanceof FuzzStep.Write w) {
                g.observe(s, w.sql().stream().map(x -> 1L).toList());
            }
        }
        return out;
    }

    @Test
    void sameSeedSameSteps() {
        FuzzGenerator.Config config = FuzzGenerator.Config.defaults(1500);
        assertThat(steps(42, config)).isEqualTo(steps(42, config));
        assertThat(steps(42, config)).isNotEqualTo(steps(43, config));
    }

    @Test
    void leftOutFamiliesDoNotAppear() {
        List<FuzzStep> steps = steps(7, FuzzGenerator.Config.defaults(3000).withKnown(EnumSet.noneOf(Known.class)));
        List<String> sql = steps.stream().filter(s -> s instanceof FuzzStep.Write)
                .flatMap(s -> ((FuzzStep.Write) s).sql().stream()).toList();
        assertThat(sql).noneMatch(s -> s.contains("_ROWID_"))
                .noneMatch(s -> s.contains("FORCE VIEW"))
                .noneMatch(s -> s.matches(".* ORDER BY s\\.a FETCH FIRST .*"))
                .noneMatch(s -> s.contains("DEFAULT RAND()") || s.contains("FROM CURRENT_TIMESTAMP"));
        assertThat(sql.stream().filter(s -> s.startsWith("CREATE TABLE ")).count()).isGreaterThan(3);
        assertThat(sql).anyMatch(s -> s.startsWith("MERGE INTO")).anyMatch(s -> s.contains("RAND()"))
                .anyMatch(s -> s.contains("DISTINCT ON")).anyMatch(s -> s.contains("OVER ("))
                .anyMatch(s -> s.contains("NEXT VALUE FOR")).anyMatch(s -> s.startsWith("CREATE VIEW"));
    }

    @Test
    void clockDefaultsFamilyAddsClockAndRandomDefaults() {
        List<String> sql = steps(7, FuzzGenerator.Config.defaults(3000).withKnown(EnumSet.of(Known.CLOCK_DEFAULTS)))
                .stream().filter(s -> s instanceof FuzzStep.Write).flatMap(s -> ((FuzzStep.Write) s).sql().stream())
                .toList();
        assertThat(sql).anyMatch(s -> s.startsWith("CREATE TABLE ") && s.contains("u UUID DEFAULT RANDOM_UUID()"))
                .anyMatch(s -> s.contains("ADD COLUMN x INT DEFAULT") && s.contains("CURRENT_TIMESTAMP"));
    }

    @Test
    void runHasFaultsOfEveryKindAndEndsWithAVerify() {
        List<FuzzStep> steps = steps(1, FuzzGenerator.Config.defaults(5000));
        assertThat(steps.get(steps.size() - 1)).isInstanceOf(FuzzStep.Verify.class);
        assertThat(steps).anyMatch(s -> s instanceof FuzzStep.InstallFromLeader);
        for (FuzzStep.StopMode mode : FuzzStep.StopMode.values()) {
            assertThat(steps).anyMatch(s -> s instanceof FuzzStep.Stop stop && stop.mode() == mode);
        }
        long stops = steps.stream().filter(s -> s instanceof FuzzStep.Stop).count();
        long starts = steps.stream().filter(s -> s instanceof FuzzStep.Start).count();
        assertThat(starts).isEqualTo(stops);
    }
}

package org.lockstepdb.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The admin operations' wire names are part of the message format: replicas and clients of one version agree. */
class AdminOperationTest {
    @Test
    void wireNamesAndRoutesAreTheFormatsOwn() {
        Map<String, Boolean> throughLogByName = new LinkedHashMap<>();
        for (AdminOperation op : AdminOperation.values()) {
            throughLogByName.put(op.wireName(), op.throughLog());
        }
        assertThat(throughLogByName).containsExactly(
                Map.entry("status", false), Map.entry("verify", true), Map.entry("verify-result", false),
                Map.entry("snapshot-status", false), Map.entry("backup", true), Map.entry("backup-status", false),
                Map.entry("backup-chunk", false), Map.entry("backup-delete", false), Map.entry("restore-chunk", true),
                Map.entry("restore-commit", true), Map.entry("restore-abort", true), Map.entry("cancel-query", false),
                Map.entry("recovery-skip", false));
    }

    @Test
    void aRequestKnowsItsOperationByNameAndKeepsAnUnknownNameForTheRefusal() {
        Arrays.stream(AdminOperation.values()).forEach(op -> {
            AdminRequest request = (AdminRequest) MessageCodec.decodeRequest(
                    MessageCodec.encode(AdminRequest.of(op, Map.of())));
            assertThat(request.operation()).contains(op);
            assertThat(request.is(op)).isTrue();
            assertThat(request.throughLog()).isEqualTo(op.throughLog());
        });
        AdminRequest unknown = new AdminRequest("compact-everything", Map.of(), null);
        assertThat(unknown.operation()).isEmpty();
        assertThat(unknown.throughLog()).isFalse();
        assertThat(AdminOperation.named("VERIFY")).as("names are case-sensitive on the wire").isEmpty();
    }
}

package org.lockstepdb.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class GeneratedKeyRequestTest {

    @Test
    void anEmptyColumnListIsTheTablesKeysAndNamedColumnsAreKeptInOrder() {
        assertThat(GeneratedKeyRequest.columns(List.of())).isSameAs(GeneratedKeyRequest.TABLE_KEYS);
        GeneratedKeyRequest named = GeneratedKeyRequest.columns(List.of("ID", "CODE"));
        assertThat(named.kind()).isEqualTo(GeneratedKeyRequest.Kind.NAMED);
        assertThat(named.columns()).containsExactly("ID", "CODE");
        assertThat(named.wanted()).isTrue();
        assertThat(GeneratedKeyRequest.TABLE_KEYS.wanted()).isTrue();
        assertThat(GeneratedKeyRequest.NONE.wanted()).isFalse();
    }

    @Test
    void aKindAndItsColumnsMustAgree() {
        assertThatThrownBy(() -> new GeneratedKeyRequest(GeneratedKeyRequest.Kind.NAMED, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GeneratedKeyRequest(GeneratedKeyRequest.Kind.NONE, List.of("ID")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GeneratedKeyRequest(GeneratedKeyRequest.Kind.TABLE_KEYS, List.of("ID")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SqlStatement("INSERT INTO t VALUES (1)", List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachKindSurvivesTheWire() {
        for (GeneratedKeyRequest keys : List.of(GeneratedKeyRequest.NONE, GeneratedKeyRequest.TABLE_KEYS,
                GeneratedKeyRequest.columns(List.of("ID")))) {
            WriteRequest write = new WriteRequest(1L, List.of(new SqlStatement("INSERT INTO t VALUES (1)", List.of(),
                    keys)));
            WriteRequest back = (WriteRequest) MessageCodec.decodeRequest(MessageCodec.encode(write));
            assertThat(back.statements().get(0).generatedKeys()).isEqualTo(keys);
        }
    }
}

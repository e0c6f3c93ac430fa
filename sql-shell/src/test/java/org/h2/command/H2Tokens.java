package org.h2.command;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.h2.engine.CastDataProvider;

/**
 * Test access to H2's own tokenizer ({@code Tokenizer} is package-private in H2), so that LockstepDB's lexer can be
 * compared with the tokens H2 itself reads ({@code org.lockstepdb.shell.LexerVersusH2TokenizerTest}).
 */
public final class H2Tokens {
    public static final int PARAMETER = Token.PARAMETER;
    public static final int SEMICOLON = Token.SEMICOLON;

    private H2Tokens() {
    }

    /** One token H2 read: where it starts and H2's token type. */
    public record Read(int start, int type) {
    }

    /** H2's tokens of {@code sql} (without the end-of-input token); throws H2's exception where H2 refuses the text. */
    public static List<Read> of(CastDataProvider provider, String sql) {
        Tokenizer tokenizer = new Tokenizer(provider, true, false, null);
        List<Read> read = new ArrayList<>();
        for (Token t : tokenizer.tokenize(sql, false, new BitSet())) {
            if (t.tokenType() == Token.END_OF_INPUT) {
                break;
            }
            read.add(new Read(t.start(), t.tokenType()));
        }
        return read;
    }
}

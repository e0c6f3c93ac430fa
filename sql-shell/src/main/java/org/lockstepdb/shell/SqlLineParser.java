package org.lockstepdb.shell;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.impl.DefaultParser;

/**
 * JLine parser for the interactive shell: Enter accepts the buffer only when it is a dot-command, empty, or ends
 * with a complete SQL statement (a {@code ;} outside strings and comments); otherwise JLine keeps editing on a
 * continuation line. Word splitting (for completion) is left to JLine's default parser.
 */
final class SqlLineParser implements Parser {

    private final DefaultParser words = new DefaultParser();

    SqlLineParser() {
        words.setEofOnUnclosedQuote(false);
        words.setEofOnEscapedNewLine(false);
        words.setEscapeChars(new char[0]);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) throws SyntaxError {
        if (context == ParseContext.ACCEPT_LINE) {
            if (needsMoreInput(line)) {
                throw new EOFError(-1, cursor, "statement not terminated by ;", ";");
            }
            context = ParseContext.SPLIT_LINE;
        }
        return words.parse(line, cursor, context);
    }

    /** True when {@code buffer} is SQL whose last statement is not yet terminated by {@code ;}. */
    static boolean needsMoreInput(String buffer) {
        String s = buffer.strip();
        if (s.isEmpty() || s.startsWith(".")) {
            return false;
        }
        return new StatementSplitter().append(buffer).needsMoreInput();
    }
}

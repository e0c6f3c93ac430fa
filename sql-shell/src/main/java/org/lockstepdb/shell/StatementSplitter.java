package org.lockstepdb.shell;

import java.util.ArrayList;
import java.util.List;

import org.lockstepdb.protocol.sql.SqlLexer;
import org.lockstepdb.protocol.sql.SqlToken;

/**
 * Splits SQL text into statements on {@code ;} as H2 reads it ({@link SqlLexer}, the lexer the server uses):
 * semicolons inside strings ({@code 'it''s'}, {@code $$…$$}, {@code U&'…'}), quoted identifiers
 * ({@code "a;b"}) and comments ({@code --}, {@code //}, nested {@code /* *}{@code /}) do not split.
 *
 * <p>It is incremental: text can be {@link #append appended} piece by piece (for example a line at a time),
 * completed statements collected with {@link #drainComplete()}, and the unterminated rest taken with
 * {@link #finish()} at the end of the input. Statements are returned trimmed, without the terminating
 * {@code ;}, without leading or trailing comments (comments inside a statement are kept), and empty statements
 * ({@code ;;} or comment-only text) are dropped.
 *
 * <p>Each append lexes again only from the last two tokens of the pending text (the last ones may grow or merge
 * with what follows: {@code -} and {@code -}, {@code U} and {@code &'…'}), so a long statement fed line by line
 * costs linear time.
 */
public final class StatementSplitter {
    /** Text after the last consumed {@code ;}. */
    private final StringBuilder pending = new StringBuilder();
    private final List<String> complete = new ArrayList<>();
    /** Offset in {@link #pending} from which the next scan lexes again; what lies before it is settled. */
    private int resume;
    /** Start of the first and end of the last settled token of the current statement; -1 when there is none. */
    private int settledStart = -1;
    private int settledEnd;
    /** The unsettled part as last lexed: start and end of the statement's text, -1 when it has none. */
    private int contentStart = -1;
    private int contentEnd;
    /** The pending text ends inside a string, quoted identifier or block comment (any: more input needed). */
    private boolean open;
    /** The pending text ends inside a line comment (no newline yet). */
    private boolean inLineComment;

    /** Splits a whole script; a trailing statement without {@code ;} is included. */
    public static List<String> split(String script) {
        StatementSplitter splitter = new StatementSplitter();
        splitter.append(script);
        List<String> statements = splitter.drainComplete();
        String tail = splitter.finish();
        if (tail != null) {
            statements.add(tail);
        }
        return statements;
    }

    /** Adds more input text. */
    public StatementSplitter append(CharSequence text) {
        pending.append(text);
        scan();
        return this;
    }

    /** Returns (and forgets) the statements terminated by {@code ;} so far. */
    public List<String> drainComplete() {
        List<String> result = new ArrayList<>(complete);
        complete.clear();
        return result;
    }

    /**
     * Ends the input: returns the unterminated trailing statement, or null when there is none (only whitespace
     * or comments are left). Statements not yet drained stay available through {@link #drainComplete()}.
     * The splitter is reset and may be reused.
     */
    public String finish() {
        String tail = contentStart >= 0 ? pending.substring(contentStart, contentEnd) : null;
        List<String> undrained = new ArrayList<>(complete);
        reset();
        complete.addAll(undrained);
        return tail;
    }

    /** Forgets any pending (unterminated) input and completed statements. */
    public void reset() {
        pending.setLength(0);
        complete.clear();
        resume = 0;
        settledStart = -1;
        settledEnd = 0;
        contentStart = -1;
        contentEnd = 0;
        open = false;
        inLineComment = false;
    }

    /**
     * True when the input so far ends in the middle of a statement: there is significant text after the last
     * {@code ;}, or a string, quoted identifier or block comment is still open. A line comment or whitespace
     * after the last statement does not count.
     */
    public boolean needsMoreInput() {
        return contentStart >= 0 || open;
    }

    /** True when no statement text is pending and the scanner is not inside a string or comment. */
    public boolean atStatementBoundary() {
        return !needsMoreInput() && !inLineComment;
    }

    private void scan() {
        int base = resume;
        SqlLexer.Lexed lexed = SqlLexer.lex(pending.substring(base));
        List<SqlToken> tokens = lexed.tokens();
        int start = settledStart;
        int end = settledEnd;
        int consumed = 0;
        int afterLastSemicolon = 0; // index in tokens
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken tk = tokens.get(i);
            if (tk.is(";")) {
                if (start >= 0) {
                    complete.add(pending.substring(start, end));
                }
                start = -1;
                consumed = base + tk.end();
                afterLastSemicolon = i + 1;
            } else {
                start = start < 0 ? base + tk.start() : start;
                end = base + tk.end();
            }
        }
        SqlLexer.LexError error = lexed.error();
        open = error != null && error.unterminated();
        boolean openText = open && !startsBlockComment(base + error.offset());
        int textEnd = pending.length();
        List<int[]> comments = lexed.comments();
        int[] lastComment = comments.isEmpty() ? null : comments.get(comments.size() - 1);
        inLineComment = !open && lastComment != null && base + lastComment[1] == textEnd
                && !startsBlockComment(base + lastComment[0]);
        contentStart = openText && start < 0 ? base + error.offset() : start;
        contentEnd = openText ? textEnd : end;
        settle(tokens, afterLastSemicolon, base, open ? base + error.offset()
                : inLineComment ? base + lastComment[0] : textEnd);
        if (consumed > 0) {
            pending.delete(0, consumed);
            resume -= consumed;
            settledStart = settledStart < 0 ? -1 : settledStart - consumed;
            settledEnd -= consumed;
            contentStart = contentStart < 0 ? -1 : contentStart - consumed;
            contentEnd -= consumed;
        }
    }

    /**
     * Moves {@link #resume} to the start of the second-to-last token after the last {@code ;} (or to
     * {@code limit}, an open string or comment, if earlier), and records the statement's settled tokens before it.
     */
    private void settle(List<SqlToken> tokens, int first, int base, int limit) {
        int keep = Math.max(first, tokens.size() - 2);
        resume = keep < tokens.size() ? Math.min(limit, base + tokens.get(keep).start()) : limit;
        int start = first == 0 ? settledStart : -1; // without a ';' the statement goes on from before the window
        for (int i = first; i < tokens.size() && base + tokens.get(i).start() < resume; i++) {
            start = start < 0 ? base + tokens.get(i).start() : start;
            settledEnd = base + tokens.get(i).end();
        }
        settledStart = start;
    }

    private boolean startsBlockComment(int at) {
        return at + 1 < pending.length() && pending.charAt(at) == '/' && pending.charAt(at + 1) == '*';
    }
}

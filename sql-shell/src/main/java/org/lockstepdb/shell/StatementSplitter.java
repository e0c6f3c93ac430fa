package org.lockstepdb.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements on {@code ;}, ignoring semicolons inside single-quoted strings
 * ({@code 'it''s'}), double-quoted identifiers, H2 {@code $$...$$} strings, {@code --} line comments and
 * {@code /* *}{@code /} block comments.
 *
 * <p>It is incremental: text can be {@link #append appended} piece by piece (for example a line at a time),
 * completed statements collected with {@link #drainComplete()}, and the unterminated rest taken with
 * {@link #finish()} at the end of the input. Statements are returned trimmed, without the terminating
 * {@code ;}, without leading or trailing comments (comments inside a statement are kept), and empty statements
 * ({@code ;;} or comment-only text) are dropped.
 */
public final class StatementSplitter {

    private enum State { NORMAL, SINGLE_QUOTE, DOUBLE_QUOTE, DOLLAR_QUOTE, LINE_COMMENT, BLOCK_COMMENT }

    private final StringBuilder buf = new StringBuilder();
    private final List<String> complete = new ArrayList<>();
    private State state = State.NORMAL;
    /** Next index of {@link #buf} to scan. */
    private int pos;
    /** Index of the first significant character of the current statement, or -1 while there is none. */
    private int contentStart = -1;
    /** Index just past the last significant character of the current statement. */
    private int contentEnd;

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
        buf.append(text);
        scan(false);
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
        scan(true);
        String tail = contentStart >= 0 ? buf.substring(contentStart, contentEnd) : null;
        List<String> undrained = new ArrayList<>(complete);
        reset();
        complete.addAll(undrained);
        return tail;
    }

    /** Forgets any pending (unterminated) input and completed statements. */
    public void reset() {
        buf.setLength(0);
        complete.clear();
        state = State.NORMAL;
        pos = 0;
        contentStart = -1;
        contentEnd = 0;
    }

    /**
     * True when the input so far ends in the middle of a statement: there is significant text after the last
     * {@code ;}, or a string, quoted identifier or block comment is still open. A line comment or whitespace
     * after the last statement does not count.
     */
    public boolean needsMoreInput() {
        if (contentStart >= 0 || state == State.BLOCK_COMMENT || state == State.SINGLE_QUOTE
                || state == State.DOUBLE_QUOTE || state == State.DOLLAR_QUOTE) {
            return true;
        }
        // a character held back for look-ahead ('-', '/', '$') is significant in NORMAL state
        return state == State.NORMAL && pos < buf.length() && !Character.isWhitespace(buf.charAt(pos));
    }

    /** True when no statement text is pending and the scanner is not inside a string or comment. */
    public boolean atStatementBoundary() {
        return !needsMoreInput() && state != State.LINE_COMMENT;
    }

    private void scan(boolean endOfInput) {
        int len = buf.length();
        while (pos < len) {
            char c = buf.charAt(pos);
            boolean hasNext = pos + 1 < len;
            char next = hasNext ? buf.charAt(pos + 1) : '\0';
            switch (state) {
                case NORMAL -> {
                    if ((c == '-' || c == '/' || c == '$') && !hasNext && !endOfInput) {
                        return; // need one more character to decide
                    }
                    if (c == ';') {
                        if (contentStart >= 0) {
                            complete.add(buf.substring(contentStart, contentEnd));
                        }
                        pos++;
                        buf.delete(0, pos);
                        len = buf.length();
                        pos = 0;
                        contentStart = -1;
                        contentEnd = 0;
                        continue;
                    } else if (c == '-' && next == '-') {
                        state = State.LINE_COMMENT;
                        pos += 2;
                        continue;
                    } else if (c == '/' && next == '*') {
                        state = State.BLOCK_COMMENT;
                        pos += 2;
                        continue;
                    } else if (c == '$' && next == '$' && !followsIdentifierChar(pos)) {
                        state = State.DOLLAR_QUOTE;
                        markContent(pos, pos + 2);
                        pos += 2;
                        continue;
                    } else if (c == '\'') {
                        state = State.SINGLE_QUOTE;
                    } else if (c == '"') {
                        state = State.DOUBLE_QUOTE;
                    }
                    if (!Character.isWhitespace(c)) {
                        markContent(pos, pos + 1);
                    }
                    pos++;
                }
                case SINGLE_QUOTE, DOUBLE_QUOTE -> {
                    // a doubled quote ('' or "") closes and immediately reopens, which is equivalent
                    if (c == (state == State.SINGLE_QUOTE ? '\'' : '"')) {
                        state = State.NORMAL;
                    }
                    markContent(pos, pos + 1);
                    pos++;
                }
                case DOLLAR_QUOTE -> {
                    if (c == '$' && !hasNext && !endOfInput) {
                        return;
                    }
                    if (c == '$' && next == '$') {
                        state = State.NORMAL;
                        markContent(pos, pos + 2);
                        pos += 2;
                    } else {
                        markContent(pos, pos + 1);
                        pos++;
                    }
                }
                case LINE_COMMENT -> {
                    if (c == '\n' || c == '\r') {
                        state = State.NORMAL;
                    }
                    pos++;
                }
                case BLOCK_COMMENT -> {
                    if (c == '*' && !hasNext && !endOfInput) {
                        return;
                    }
                    if (c == '*' && next == '/') {
                        state = State.NORMAL;
                        pos += 2;
                    } else {
                        pos++;
                    }
                }
            }
        }
    }

    private boolean followsIdentifierChar(int index) {
        if (index == 0) {
            return false;
        }
        char prev = buf.charAt(index - 1);
        return Character.isLetterOrDigit(prev) || prev == '_' || prev == '$';
    }

    private void markContent(int from, int to) {
        if (contentStart < 0) {
            contentStart = from;
        }
        contentEnd = to;
    }
}

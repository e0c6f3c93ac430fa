package org.lockstepdb.guard;

import java.util.BitSet;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.lockstepdb.protocol.sql.SqlPositions;
import org.lockstepdb.protocol.sql.SqlToken;
import org.lockstepdb.protocol.sql.SqlToken.Kind;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * The Calcite reading of a DML statement or query: parsed with calcite-core's default parser (default Lex:
 * double-quoted, case-sensitive identifiers, unquoted upper-cased, as in H2; LENIENT conformance) on a copy of
 * the text whose comments and trailing ';' are blanked, so offsets are unchanged and both readings see the
 * same code.
 *
 * <p>If Calcite parses the statement, its tree is cross-checked against the token scan: the statement kind
 * must agree, and every function call and niladic function keyword in the tree must sit on a token the scan
 * examined (or on an allowed/structural word). A disagreement is rejected as "not understood". If Calcite
 * cannot parse it (H2-only syntax, or one of the ~300 words Calcite reserves but H2 allows as column names,
 * such as DATE, TIME, COUNT, POSITION), the token scan's verdict stands alone: it applies the same rules to
 * every statement either way. Calcite never produces the SQL that is logged: rewrites are spliced into the
 * original text.
 */
final class CalciteCheck {
    private static final SqlParser.Config CONFIG = SqlParser.config()
            .withConformance(SqlConformanceEnum.LENIENT)
            .withIdentifierMaxLength(1 << 20);

    private CalciteCheck() {
    }

    /** @return true if Calcite parsed the statement (and agreed); false if it could not parse it */
    static boolean check(String sql, List<int[]> comments, List<SqlToken> tokens, int tokenCount, BitSet examined,
            StatementKind kind) throws Rejected {
        char[] text = sql.toCharArray();
        for (int[] c : comments) {
            blank(text, c[0], c[1]);
        }
        blank(text, tokens.get(tokenCount - 1).end(), text.length);
        String blanked = new String(text);
        SqlNode node;
        try {
            node = SqlParser.create(blanked, CONFIG).parseStmt();
        } catch (SqlParseException | RuntimeException e) {
            return false;
        }
        StatementKind calciteKind = kindOf(node);
        // Calcite reads a query that writes (SELECT NEXT VALUE FOR s) as a query; the tokens tell it writes
        StatementKind expected = kind == StatementKind.WRITING_QUERY ? StatementKind.QUERY : kind;
        if (calciteKind != expected) {
            throw new Rejected(GuardCodes.NOT_UNDERSTOOD, "the statement reads as " + kind + " to the guard but as "
                    + node.getKind() + " to Calcite; it was not run");
        }
        node.accept(new SqlBasicVisitor<Void>() {
            @Override
            public Void visit(SqlCall call) {
                if (call.getOperator() instanceof SqlFunction) {
                    verify(call.getParserPosition(), true);
                }
                return super.visit(call);
            }

            @Override
            public Void visit(SqlIdentifier id) {
                if (id.isSimple()) {
                    String name = id.getSimple();
                    if (FunctionPolicy.NILADIC_TIME.containsKey(name) || FunctionPolicy.NILADIC_SESSION.contains(name)) {
                        verify(id.getParserPosition(), false);
                    }
                }
                return null;
            }

            private void verify(SqlParserPos pos, boolean call) {
                int offset = SqlPositions.offset(blanked, pos.getLineNum(), pos.getColumnNum());
                int index = indexAt(tokens, tokenCount, offset);
                if (index < 0 || examined.get(index)) {
                    return;
                }
                SqlToken tk = tokens.get(index);
                if (!tk.isIdentifier()) {
                    return;
                }
                String up = tk.upperName();
                FunctionPolicy.Entry e = FunctionPolicy.lookup(up);
                boolean harmless = call && tk.kind() == Kind.IDENT
                        && (FunctionPolicy.STRUCTURAL.contains(up) || FunctionPolicy.TYPE_NAMES.contains(up)
                        || (e != null && e.rule() == FunctionPolicy.Rule.ALLOW));
                if (!harmless) {
                    throw new Disagreement(up, offset);
                }
            }
        });
        return true;
    }

    /** Unchecked carrier out of the visitor. */
    private static final class Disagreement extends RuntimeException {
        Disagreement(String name, int offset) {
            super(name + "@" + offset, null, false, false);
        }
    }

    static boolean checkOrReject(String sql, List<int[]> comments, List<SqlToken> tokens, int tokenCount,
            BitSet examined, StatementKind kind) throws Rejected {
        try {
            return check(sql, comments, tokens, tokenCount, examined, kind);
        } catch (Disagreement d) {
            String[] parts = d.getMessage().split("@");
            throw new Rejected(GuardCodes.NOT_UNDERSTOOD, parts[0] + " at " + SqlPositions.describe(sql,
                    Integer.parseInt(parts[1])) + " reads as a function to Calcite but not to the guard's H2 "
                    + "tokenizer; the statement was not run");
        }
    }

    private static void blank(char[] text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] != '\n' && text[i] != '\r') {
                text[i] = ' ';
            }
        }
    }

    private static int indexAt(List<SqlToken> tokens, int count, int offset) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int s = tokens.get(mid).start();
            if (s < offset) {
                lo = mid + 1;
            } else if (s > offset) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private static StatementKind kindOf(SqlNode node) {
        SqlKind k = node.getKind();
        switch (k) {
            case INSERT:
                return StatementKind.INSERT;
            case UPDATE:
                return StatementKind.UPDATE;
            case DELETE:
                return StatementKind.DELETE;
            case MERGE:
                return StatementKind.MERGE;
            case EXPLAIN, PROCEDURE_CALL:
                return StatementKind.QUERY; // H2's CALL evaluates its expression as a one-row query
            default:
                return k.belongsTo(SqlKind.QUERY) || k == SqlKind.WITH || k == SqlKind.ORDER_BY
                        ? StatementKind.QUERY : null;
        }
    }
}

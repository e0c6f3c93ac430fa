package org.lockstepdb.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What one {@link TxOp} of an interactive transaction showed the application, in the form its commit compares
 * (every replica re-runs the script at the commit's log position and commits only if each op's outcome is equal):
 * <ul>
 *   <li>{@link Rows}: a query's result, as its {@link OutcomeDigest};</li>
 *   <li>{@link Count}: a write's update count per execution and the digest of the generated keys it returned
 *       (empty when it asked for none); a savepoint operation that succeeded is a Count with no counts;</li>
 *   <li>{@link Error}: the SQLState and vendor code of the error it raised (the message is not compared).</li>
 * </ul>
 */
public sealed interface TxOutcome permits TxOutcome.Rows, TxOutcome.Count, TxOutcome.Error {
    /** The outcome of a savepoint operation that succeeded. */
    Count DONE = new Count(List.of(), new byte[0]);

    /** Human-readable, for the 40001 message that names what changed. */
    String describe();

    /** @param digest {@link OutcomeDigest#LENGTH} bytes */
    record Rows(byte[] digest) implements TxOutcome {
        public Rows {
            if (digest.length != OutcomeDigest.LENGTH) {
                throw new IllegalArgumentException("a rows digest has " + OutcomeDigest.LENGTH + " bytes, not " + digest.length);
            }
            digest = digest.clone();
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rows r && Arrays.equals(digest, r.digest);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(digest);
        }

        @Override
        public String describe() {
            return "rows with digest " + HexFormat.of().formatHex(digest, 0, 8) + "...";
        }

        @Override
        public String toString() {
            return "Rows[" + describe() + "]";
        }
    }

    /**
     * @param updateCounts one per execution of the statement
     * @param keysDigest   the {@link OutcomeDigest} of the generated keys, or empty if none were asked for
     */
    record Count(List<Long> updateCounts, byte[] keysDigest) implements TxOutcome {
        public Count {
            updateCounts = List.copyOf(updateCounts);
            if (keysDigest.length != 0 && keysDigest.length != OutcomeDigest.LENGTH) {
                throw new IllegalArgumentException("a keys digest has 0 or " + OutcomeDigest.LENGTH + " bytes");
            }
            keysDigest = keysDigest.clone();
        }

        @Override
        public byte[] keysDigest() {
            return keysDigest.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Count c && updateCounts.equals(c.updateCounts) && Arrays.equals(keysDigest, c.keysDigest);
        }

        @Override
        public int hashCode() {
            return 31 * updateCounts.hashCode() + Arrays.hashCode(keysDigest);
        }

        @Override
        public String describe() {
            return "update counts " + updateCounts + (keysDigest.length == 0 ? ""
                    : " with generated keys " + HexFormat.of().formatHex(keysDigest, 0, 8) + "...");
        }

        @Override
        public String toString() {
            return "Count[" + describe() + "]";
        }
    }

    record Error(String sqlState, int vendorCode) implements TxOutcome {
        public Error {
            if (sqlState == null || sqlState.length() != 5) {
                throw new IllegalArgumentException("an SQLState has 5 characters: " + sqlState);
            }
        }

        @Override
        public String describe() {
            return "error " + sqlState + " (" + vendorCode + ")";
        }
    }

    /** The outcome of a query that returned {@code data}. */
    static Rows rows(ResultData data) {
        return new Rows(OutcomeDigest.of(data));
    }

    /** The outcome of a write that returned {@code result}. */
    static Count count(StatementResult result) {
        return new Count(result.updateCounts(),
                result.generatedKeys() == null ? new byte[0] : OutcomeDigest.of(result.generatedKeys()));
    }

    static Error error(ErrorReply error) {
        return new Error(error.sqlState(), error.vendorCode());
    }
}

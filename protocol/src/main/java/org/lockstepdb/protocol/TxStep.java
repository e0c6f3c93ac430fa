package org.lockstepdb.protocol;

import java.util.Objects;

/** An operation of a transaction's script together with the outcome the application saw when it ran. */
public record TxStep(TxOp op, TxOutcome outcome) {
    public TxStep {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(outcome, "outcome");
    }
}

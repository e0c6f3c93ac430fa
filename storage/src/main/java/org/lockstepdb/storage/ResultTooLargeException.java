package org.lockstepdb.storage;

/**
 * A query result grew past {@link StoreOptions#maxResultBytes()} while it was being read. Checked, so every
 * reader of results must decide what it means for it.
 */
final class ResultTooLargeException extends Exception {
    ResultTooLargeException() {
        super(null, null, false, false);
    }
}

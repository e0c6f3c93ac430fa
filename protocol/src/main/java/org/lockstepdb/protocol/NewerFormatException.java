package org.lockstepdb.protocol;

/**
 * A message of a newer format version than this node reads. Unlike a corrupt message it is no property of the
 * bytes alone: a newer node reads them. A replica that meets such a log entry must stop rather than answer it as
 * an error, or it would skip an entry the newer replicas apply.
 */
public final class NewerFormatException extends ProtocolException {
    public NewerFormatException(String message) {
        super(message);
    }
}

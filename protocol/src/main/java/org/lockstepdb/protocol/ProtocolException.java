package org.lockstepdb.protocol;

/** A message that cannot be decoded: truncated, corrupt, too large, or from an unknown format version. */
public class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}

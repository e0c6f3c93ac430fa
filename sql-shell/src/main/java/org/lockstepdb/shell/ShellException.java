package org.lockstepdb.shell;

/** A shell-level error (bad dot-command usage, missing file...), reported as {@code Error: <message>}. */
public class ShellException extends Exception {
    private static final long serialVersionUID = 1L;

    public ShellException(String message) {
        super(message);
    }

    public ShellException(String message, Throwable cause) {
        super(message, cause);
    }
}

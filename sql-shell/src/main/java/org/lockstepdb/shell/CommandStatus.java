package org.lockstepdb.shell;

/** How running a statement, dot-command or script ended, which decides what the shell does next. */
public enum CommandStatus {
    /** Succeeded; go on. */
    OK,
    /** Failed; the error has already been reported (printed and counted). */
    FAILED,
    /** The user asked to leave the shell ({@code .quit}). */
    EXIT
}

package org.lockstepdb.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SQL error, as H2 (or the server's own checks) reported it: the driver turns it into an
 * {@code SQLException} with this SQLState, vendor code and message. Deterministic errors in a write are
 * replies, the same on every replica, never failures of the state machine.
 *
 * <p>An error raised on the leader before a write reaches the log (Ratis offers no reply there, only an
 * exception) travels inside an exception message: {@link #toExceptionMessage()} writes it with a marker that
 * {@link #fromExceptionMessage(String)} finds again however Ratis wraps the text.
 */
public record ErrorReply(String sqlState, int vendorCode, String message) implements Reply {
    private static final Pattern MARKER = Pattern.compile(
            "\\[lockstep-error sqlstate=([0-9A-Z]{5}) code=(-?\\d+)] (.*)", Pattern.DOTALL);

    public ErrorReply {
        sqlState = sqlState == null || sqlState.length() != 5 ? "HY000" : sqlState;
        message = message == null ? "" : message;
    }

    public String toExceptionMessage() {
        return "[lockstep-error sqlstate=" + sqlState + " code=" + vendorCode + "] " + message;
    }

    public static Optional<ErrorReply> fromExceptionMessage(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = MARKER.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new ErrorReply(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
    }
}

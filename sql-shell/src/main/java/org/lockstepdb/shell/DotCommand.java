package org.lockstepdb.shell;

import java.util.List;

/**
 * The handler of a dot-command such as {@code .tables}. Register new ones with
 * {@link DotCommands#register(String, String, String, DotCommand, String...)} on {@link ShellSession#commands()}.
 *
 * <p>A handler prints to {@link ShellSession#out()}. It reports failure either by throwing (the session prints
 * {@code Error: ...} and counts the error) or, when it has already reported its errors itself (as {@code .read}
 * does through the session), by returning {@link CommandStatus#FAILED}.
 */
@FunctionalInterface
public interface DotCommand {

    CommandStatus execute(ShellSession session, Invocation invocation) throws Exception;

    /**
     * One call of a dot-command.
     *
     * @param name         the command name as typed, without the leading dot (for example {@code schema})
     * @param argumentText everything after the name, trimmed (quotes kept)
     * @param arguments    {@code argumentText} split on whitespace; single or double quotes group words and are
     *                     removed
     */
    record Invocation(String name, String argumentText, List<String> arguments) {

        /** Parses a line such as {@code .schema "My Table"}; the leading dot is optional. */
        public static Invocation parse(String line) {
            String s = line.strip();
            if (s.startsWith(".")) {
                s = s.substring(1);
            }
            int space = 0;
            while (space < s.length() && !Character.isWhitespace(s.charAt(space))) {
                space++;
            }
            String name = s.substring(0, space);
            String rest = s.substring(space).strip();
            return new Invocation(name, rest, tokenize(rest));
        }

        /** The argument at {@code index}, or null. */
        public String argument(int index) {
            return index < arguments.size() ? arguments.get(index) : null;
        }

        static List<String> tokenize(String text) {
            List<String> tokens = new java.util.ArrayList<>();
            StringBuilder current = null;
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                            current.append(c); // doubled quote stands for itself
                            i++;
                        } else {
                            quote = 0;
                        }
                    } else {
                        current.append(c);
                    }
                } else if (Character.isWhitespace(c)) {
                    if (current != null) {
                        tokens.add(current.toString());
                        current = null;
                    }
                } else {
                    if (current == null) {
                        current = new StringBuilder();
                    }
                    if (c == '\'' || c == '"') {
                        quote = c;
                    } else {
                        current.append(c);
                    }
                }
            }
            if (current != null) {
                tokens.add(current.toString());
            }
            return List.copyOf(tokens);
        }
    }
}

package org.lockstepdb.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The registry of dot-commands: name (and aliases) to handler, in registration order. */
public final class DotCommands {

    /**
     * A registered command.
     *
     * @param name        primary name without the dot, lower case
     * @param usage       argument synopsis for {@code .help}, e.g. {@code TABLE}; empty when it takes none
     * @param description one line for {@code .help}
     * @param aliases     other names, without the dot
     */
    public record Spec(String name, String usage, String description, DotCommand handler, List<String> aliases) {
    }

    private final Map<String, Spec> byName = new LinkedHashMap<>();
    private final List<Spec> specs = new ArrayList<>();

    /** An empty registry. */
    public DotCommands() {
    }

    /** A registry holding the built-in commands ({@code .help}, {@code .quit}, {@code .tables}, ...). */
    public static DotCommands withBuiltins() {
        DotCommands commands = new DotCommands();
        BuiltinCommands.registerAll(commands);
        AdminCommands.registerAll(commands);
        return commands;
    }

    /**
     * Registers (or replaces) a command. Names are case-insensitive and given without the leading dot.
     *
     * @return this registry
     */
    public synchronized DotCommands register(String name, String usage, String description, DotCommand handler,
                                             String... aliases) {
        Objects.requireNonNull(handler, "handler");
        Spec spec = new Spec(normalize(name), usage == null ? "" : usage, description == null ? "" : description,
                handler, List.of(aliases).stream().map(DotCommands::normalize).toList());
        unregister(spec.name());
        for (String alias : spec.aliases()) {
            unregister(alias);
        }
        specs.add(spec);
        byName.put(spec.name(), spec);
        for (String alias : spec.aliases()) {
            byName.put(alias, spec);
        }
        return this;
    }

    /** Removes the command that has this name or alias, if any. */
    public synchronized void unregister(String name) {
        Spec spec = byName.get(normalize(name));
        if (spec != null) {
            specs.remove(spec);
            byName.values().removeIf(s -> s == spec);
        }
    }

    /** The command with this name or alias (with or without the leading dot). */
    public synchronized Optional<Spec> lookup(String name) {
        return Optional.ofNullable(byName.get(normalize(name)));
    }

    /** All commands, in registration order. */
    public synchronized List<Spec> list() {
        return List.copyOf(specs);
    }

    /** Every name and alias, with the leading dot (for completion). */
    public synchronized List<String> names() {
        return byName.keySet().stream().map(n -> "." + n).toList();
    }

    private static String normalize(String name) {
        String n = Objects.requireNonNull(name, "name").strip();
        if (n.startsWith(".")) {
            n = n.substring(1);
        }
        if (n.isEmpty()) {
            throw new IllegalArgumentException("empty command name");
        }
        return n.toLowerCase(Locale.ROOT);
    }
}

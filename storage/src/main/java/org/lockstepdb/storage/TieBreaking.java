package org.lockstepdb.storage;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.command.CommandContainer;
import org.h2.command.CommandInterface;
import org.h2.command.Prepared;
import org.h2.command.query.Query;
import org.h2.command.query.QueryOrderBy;
import org.h2.command.query.Select;
import org.h2.command.query.SelectGroups;
import org.h2.engine.SessionLocal;
import org.h2.index.IndexCondition;
import org.h2.index.IndexSort;
import org.h2.index.QueryExpressionIndex;
import org.h2.jdbc.JdbcPreparedStatement;
import org.h2.result.SortOrder;
import org.h2.table.TableFilter;

/**
 * Makes every {@code ORDER BY} of a statement the replicas run a total order, so that the rows it picks and the
 * order it delivers them in depend on the data alone.
 *
 * <p>H2 picks the first rows of {@code ORDER BY … LIMIT/OFFSET/FETCH/TOP} with a partial quicksort whose pivot comes
 * from {@code ThreadLocalRandom} ({@code Utils.sortTopN}): among rows tied on the ORDER BY, each execution — on each
 * replica — may choose others. A full sort is stable, so tied rows keep the order H2 visited them in, which depends
 * on the plan. Here every sort of the statement's queries (derived tables, CTEs, views, subqueries of any write,
 * the queries of transaction scripts) gets the query's visible columns appended as tie breakers ({@code ORDER BY g}
 * becomes {@code ORDER BY g, 1, 2, …, n}): rows that still tie are equal in every column the query delivers, so
 * whichever H2 picks, the result is the same. {@code FETCH … WITH TIES} keeps its sort (its ties are all taken).
 * Read-path queries do not come here: their results stay H2's.
 *
 * <p>Done on H2's prepared statement, which sees {@code *} expanded and the views' queries, right before each
 * execution: H2 re-parses some statements before every execution ({@code LIKE}, {@code ORDER BY ?}, a schema
 * change since preparing), which would drop the tie breakers, so this re-parses them itself (with the bound
 * parameters) and lets H2 run the result as it is. Internal API of the pinned H2 ({@link H2Internals}).
 */
final class TieBreaking {
    private static final Field COMMAND = H2Internals.field(JdbcPreparedStatement.class, "command", CommandInterface.class);
    private static final Field PREPARED = H2Internals.field(CommandContainer.class, "prepared", Prepared.class);
    private static final Field PREPARE_ALWAYS = H2Internals.field(Prepared.class, "prepareAlways", boolean.class);
    private static final Field SORT = H2Internals.field(Query.class, "sort", SortOrder.class);
    private static final Field WITH_TIES = H2Internals.field(Query.class, "withTies", boolean.class);
    private static final Field INDEX_SORTED = H2Internals.field(Select.class, "indexSortedColumns", int.class);
    private static final Method RECOMPILE = method(CommandContainer.class, "recompileIfRequired");
    /** Instance fields of the H2 classes the walk enters, by class. */
    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private final CommandContainer command;
    private final SessionLocal session;
    /** H2 parses this statement before every execution (it asked to when first parsed). */
    private final boolean parseAlways;

    private TieBreaking(CommandContainer command, SessionLocal session, boolean parseAlways) {
        this.command = command;
        this.session = session;
        this.parseAlways = parseAlways;
    }

    /**
     * Tie breaking for one prepared statement of the apply session or a transaction script; call
     * {@link #beforeExecution()} after binding the parameters of each execution.
     *
     * @throws SQLException if {@code ps} is not an embedded H2 statement
     */
    static TieBreaking of(PreparedStatement ps) throws SQLException {
        CommandInterface c = get(COMMAND, ps.unwrap(JdbcPreparedStatement.class));
        if (!(c instanceof CommandContainer container)) {
            // several statements in one text: refused before they get here, H2 would run them unchanged
            throw new SQLException("one statement expected, H2 prepared " + c.getClass().getName());
        }
        Prepared prepared = get(PREPARED, container);
        return new TieBreaking(container, H2Internals.session(ps.getConnection()), get(PREPARE_ALWAYS, prepared));
    }

    /**
     * Re-parses the statement if H2 would before this execution, then appends the tie breakers to every sort of it.
     *
     * @throws SQLException H2's error from parsing it again (the same on every replica)
     */
    void beforeExecution() throws SQLException {
        Prepared prepared = get(PREPARED, command);
        if (parseAlways) {
            prepared.setPrepareAlways(true); // undone below after the previous execution
        }
        if (prepared.needRecompile()) {
            try {
                RECOMPILE.invoke(command);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw org.h2.message.DbException.toSQLException(r);
                }
                if (e.getCause() instanceof Error error) {
                    throw error; // a statement too deep for H2's parser: handled like H2's own StackOverflowError
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            prepared = get(PREPARED, command);
        }
        prepared.setPrepareAlways(false); // parsed with these parameters: H2 must run it as it is now
        try {
            breakTies(prepared, session);
        } catch (RuntimeException e) {
            // the same statement fails the same way on every replica: an error reply, never a stopped replica
            throw new SQLException("LockstepDB could not make the ORDER BY of this statement a total order, so it was "
                    + "not run (" + e + "); please report it", StoreSqlStates.FEATURE_NOT_SUPPORTED, e);
        }
    }

    /**
     * Loads the H2 fields and methods this class uses.
     *
     * @throws IllegalStateException naming the first one the running H2 lacks
     */
    static void checkInternals() {
        try {
            java.util.Objects.requireNonNull(RECOMPILE);
        } catch (ExceptionInInitializerError e) {
            throw e.getCause() instanceof IllegalStateException ise ? ise : new IllegalStateException(e.getCause());
        }
    }

    /** Appends the tie breakers to every query reachable from {@code root}. */
    private static void breakTies(Object root, SessionLocal session) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        todo.add(root);
        seen.add(root);
        while (!todo.isEmpty()) {
            Object o = todo.poll();
            if (o instanceof Query q) {
                total(q, session);
            }
            for (Field f : fields(o.getClass())) {
                enqueue(get(f, o), seen, todo);
            }
        }
    }

    private static void enqueue(Object v, Set<Object> seen, Deque<Object> todo) {
        if (v instanceof Object[] array) { // also lists of arrays: the rows of INSERT … VALUES
            for (Object e : array) {
                enqueue(e, seen, todo);
            }
        } else if (v instanceof List<?> list) {
            for (Object e : list) {
                enqueue(e, seen, todo);
            }
        } else if (v != null && walked(v.getClass()) && seen.add(v)) {
            todo.add(v);
        }
    }

    /**
     * The parts of a statement: commands and queries, expressions (subqueries among them), table filters, the
     * plan's indexes over derived tables, views and CTEs (their queries run), index conditions with a query. Not
     * tables, schema objects, values, the session, nor a query's grouped data.
     */
    private static boolean walked(Class<?> c) {
        String name = c.getName();
        return !c.isEnum() && (name.startsWith("org.h2.command.query.") || name.startsWith("org.h2.command.dml.")
                || name.startsWith("org.h2.expression.")) && c != SelectGroups.class
                || c == TableFilter.class || c == IndexCondition.class || QueryExpressionIndex.class.isAssignableFrom(c);
    }

    /** Extends the query's sort by its visible columns (once: a sort that has them all is left as it is). */
    private static void total(Query q, SessionLocal session) {
        SortOrder sort = get(SORT, q);
        boolean withTies = get(WITH_TIES, q);
        if (sort == null || withTies) {
            return;
        }
        int[] indexes = sort.getQueryColumnIndexes();
        int visible = q.getColumnCount();
        boolean[] present = new boolean[Math.max(visible, 1)];
        int missing = visible;
        for (int index : indexes) {
            if (index < visible && !present[index]) {
                present[index] = true;
                missing--;
            }
        }
        if (missing == 0) {
            return; // rows tied on this sort are equal in every visible column
        }
        int[] all = java.util.Arrays.copyOf(indexes, indexes.length + missing);
        int[] types = java.util.Arrays.copyOf(sort.getSortTypes(), indexes.length + missing);
        ArrayList<QueryOrderBy> orderList = sort.getOrderList() == null ? null : new ArrayList<>(sort.getOrderList());
        int k = indexes.length;
        for (int c = 0; c < visible; c++) {
            if (!present[c]) {
                all[k] = c;
                types[k++] = SortOrder.ASCENDING;
                if (orderList != null) {
                    QueryOrderBy order = new QueryOrderBy(); // what H2's planner reads of a sort column
                    order.expression = q.getExpressions().get(c);
                    orderList.add(order);
                }
            }
        }
        set(SORT, q, new SortOrder(session, all, types, orderList));
        if (q instanceof Select && get(INDEX_SORTED, q) instanceof Integer sorted && sorted == IndexSort.FULLY_SORTED) {
            // the index delivers the rows sorted on the original columns only: H2 must still sort the ties
            set(INDEX_SORTED, q, indexes.length);
        }
    }

    private static List<Field> fields(Class<?> c) {
        return FIELDS.computeIfAbsent(c, k -> {
            List<Field> fields = new ArrayList<>();
            for (Class<?> x = k; x != null && x.getName().startsWith("org.h2."); x = x.getSuperclass()) {
                for (Field f : x.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                        f.setAccessible(true);
                        fields.add(f);
                    }
                }
            }
            return List.copyOf(fields);
        });
    }

    private static Method method(Class<?> owner, String name) {
        H2Internals.checkVersion();
        try {
            Method m = owner.getDeclaredMethod(name);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalStateException("H2 internals differ: no accessible method " + owner.getName() + "." + name
                    + "() in H2 " + H2Internals.runningVersion(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Field f, Object o) {
        try {
            return (T) f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(Field f, Object o, Object v) {
        try {
            f.set(o, v);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.eventsource.store.postgres;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * Wraps a DataSource and records every JDBC call that costs a round trip to the server: statement
 * executions ({@code execute*}) and {@code commit}/{@code rollback}. ({@code setAutoCommit(false)}
 * costs none with the PostgreSQL driver: it sends {@code BEGIN} with the next statement.) Test-only,
 * built with JDK proxies.
 *
 * <pre>{@code
 * RoundTrips trips = new RoundTrips(pool);
 * PostgresStore store = PostgresStore.builder(trips.dataSource()).build();
 * store.append(...);
 * assertThat(trips.calls()).containsExactly("executeUpdate");
 * }</pre>
 *
 * <p>Thread-safe: calls are recorded in a copy-on-write list.
 */
final class RoundTrips {

    private final DataSource dataSource;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    RoundTrips(DataSource target) {
        this.dataSource = proxy(DataSource.class, target);
    }

    /** The counting DataSource. */
    DataSource dataSource() {
        return dataSource;
    }

    /** The round-trip calls since the last {@link #reset}, in order (method names). */
    List<String> calls() {
        return List.copyOf(calls);
    }

    void reset() {
        calls.clear();
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T target) {
        InvocationHandler handler = (p, method, args) -> {
            String name = method.getName();
            if (target instanceof Statement && name.startsWith("execute")
                    || target instanceof Connection && (name.equals("commit") || name.equals("rollback"))) {
                calls.add(name);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            Class<?> returned = method.getReturnType();
            if (result != null && returned.isInterface()
                    && (Connection.class.isAssignableFrom(returned) || Statement.class.isAssignableFrom(returned))) {
                return proxy((Class<Object>) returned, result);
            }
            return result;
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
}

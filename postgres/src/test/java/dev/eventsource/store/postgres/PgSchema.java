package dev.eventsource.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own schema: dropped and recreated before its tests, with a pool whose connections
 * carry the schema name as {@code application_name}; stores made through it are closed after the
 * tests, then the pool.
 *
 * <pre>{@code
 * @RegisterExtension static final PgSchema db = new PgSchema("es_t_store", 4);
 * PostgresStore store = db.store(b -> b.readBatchSize(7));
 * }</pre>
 */
public final class PgSchema implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private final int poolSize;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private HikariDataSource dataSource;

    /** A schema called {@code name} with a pool of {@code poolSize} connections. */
    public PgSchema(String name, int poolSize) {
        this.name = name;
        this.poolSize = poolSize;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        dataSource = PgTestDatabase.freshSchema(name, poolSize);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        synchronized (resources) {
            for (AutoCloseable r; (r = resources.pollFirst()) != null; ) {
                r.close();
            }
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    /** The schema's name. */
    public String name() {
        return name;
    }

    /** The pool (application name = schema name). */
    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** A store on this schema with default options, closed after the tests. */
    public PostgresStore store() {
        return store(b -> b);
    }

    /** A store on this schema with the given options, closed after the tests. */
    public PostgresStore store(UnaryOperator<PostgresStore.Builder> options) {
        return store(dataSource, options);
    }

    /** A store on this schema that borrows its connections from {@code through} (a wrapper of the pool), closed after the tests. */
    public PostgresStore store(DataSource through, UnaryOperator<PostgresStore.Builder> options) {
        PostgresStore store = options.apply(PostgresStore.builder(through).schema(name)).build();
        synchronized (resources) {
            resources.addFirst(store);
        }
        return store;
    }
}

package dev.eventsource.tests.evolution.v1;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.store.postgres.PostgresStore;
import java.time.Instant;

/**
 * Release 1 of the application, run in its own JVM by the test: books and delivers shipments on
 * PostgreSQL, so the rows are exactly what that release writes.
 *
 * <p>Arguments: JDBC URL, schema.
 */
public final class WriteShipments {

    private WriteShipments() {
    }

    public static void main(String[] args) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config);
                PostgresStore store = PostgresStore.builder(pool).schema(args[1]).build();
                Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Shipment.class);
            engine.start();
            engine.execute(Shipment.class, "s-10", new Shipment.Book("s-10", "9 Main Street, Cork", 1000));
            engine.execute(Shipment.class, "s-10", new Shipment.Deliver(Instant.parse("2026-03-01T12:00:00Z")));
            engine.execute(Shipment.class, "s-11", new Shipment.Book("s-11", "Galway", 300));
        }
        System.out.println("release 1 wrote its shipments");
    }
}

package shop;

import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.store.postgres.PostgresStore;
import java.time.Duration;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/** Runs one command and one projection on each store; args: JDBC URL, schema. */
public class Main {

    public static void main(String[] args) {
        System.out.println("module " + Main.class.getModule().getName() + ", engine in "
                + Engine.class.getModule().getName());
        run("memory", new InMemoryStore());
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[0]);
        try (PostgresStore store = PostgresStore.builder(dataSource).schema(args[1]).build()) {
            store.migrate();
            run("postgres", store);
        }
    }

    private static void run(String name, EventStore store) {
        ItemCount count = new ItemCount();
        try (Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Cart.class);
            engine.registerProjection(count, StreamOptions.named("item-count").partitions(2));
            engine.start();
            engine.execute(Cart.class, "cart-1", cart -> cart.record(new Cart.ItemAdded("cart-1", "apple", 3, List.of("fruit"))));
            engine.execute(Cart.class, "cart-1", cart -> cart.record(new Cart.ItemAdded("cart-1", "pear", 2, List.of())));
            Cart loaded = engine.load(Cart.class, "cart-1").orElseThrow();
            boolean caughtUp = engine.awaitProjections(Duration.ofSeconds(10));
            System.out.println(name + ": cart items=" + loaded.items() + " version=" + loaded.version()
                    + " projected=" + count.items.get() + " caughtUp=" + caughtUp);
        }
    }
}

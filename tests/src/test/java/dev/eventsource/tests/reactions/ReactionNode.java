package dev.eventsource.tests.reactions;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.CommandContext;
import dev.eventsource.CommandResult;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.StreamOptions;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import dev.eventsource.store.postgres.PostgresStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application instance for {@link ReactionCrashTest}, in its own JVM: an engine on PostgreSQL
 * running the receipts reaction, which issues a receipt for every ticket sold, with
 * {@link CommandContext#causedBy}. With a ticket id as {@code hangAfter}, the reaction stops dead
 * right after that ticket's command (printing {@code hanging <id>}), before the partition saves its
 * checkpoint, so the test can kill the process there. Without one it runs until it has caught up,
 * prints {@code caught up issued=<n> duplicates=<m>} and exits.
 *
 * <p>Arguments: JDBC URL, schema, instance id, hangAfter ticket id or {@code -}.
 */
public final class ReactionNode {

    private ReactionNode() {
    }

    /** The reaction: one receipt per ticket sold, counted as issued or duplicate. */
    @Projection(name = "receipts-on-sale")
    public static class ReceiptsOnSale {
        final Engine engine;
        final String hangAfter;
        final AtomicInteger issued = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();

        ReceiptsOnSale(Engine engine, String hangAfter) {
            this.engine = engine;
            this.hangAfter = hangAfter;
        }

        @Apply
        void on(TicketSold e, EventEnvelope<TicketSold> envelope) {
            CommandResult<Receipts> r = engine.executeResult(Receipts.class, "receipts-" + e.ticketId(),
                    new Receipts.Issue(e.ticketId()), CommandContext.causedBy(envelope, "receipts-on-sale"));
            (r.duplicate() ? duplicates : issued).incrementAndGet();
            System.out.println((r.duplicate() ? "duplicate " : "issued ") + e.ticketId());
            if (e.ticketId().equals(hangAfter)) {
                System.out.println("hanging " + e.ticketId());
                hang();                         // killed here: the command is stored, the checkpoint is not
            }
        }
    }

    private static void hang() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // stay here until the test kills the process
            }
        }
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setMaximumPoolSize(6);
        config.addDataSourceProperty("ApplicationName", args[2]);
        try (HikariDataSource pool = new HikariDataSource(config);
                PostgresStore store = PostgresStore.builder(pool).schema(args[1]).build()) {
            Engine engine = Engine.builder().store(store).instanceId(args[2]).leaseTimeout(Duration.ofSeconds(2)).build();
            engine.registerAggregate(Ticket.class);
            engine.registerAggregate(Receipts.class);
            ReceiptsOnSale reaction = new ReceiptsOnSale(engine, args[3]);
            // A batch of many events per checkpoint, so a crash leaves several handled events unsaved.
            engine.registerProjection(reaction, StreamOptions.named("receipts-on-sale").bufferSize(1024));
            engine.start();
            System.out.println("started " + args[2]);
            if (!engine.awaitProjections(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the reaction did not catch up within 60 s");
            }
            System.out.println("caught up issued=" + reaction.issued + " duplicates=" + reaction.duplicates);
            engine.close();
        }
    }
}

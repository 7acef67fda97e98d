package dev.eventsource.tests.reactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.Engine;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import dev.eventsource.tests.cluster.NodeProcess;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reaction killed between handling an event and saving its checkpoint does not execute its
 * command twice: the process running the receipts reaction ({@link ReactionNode}) is killed with
 * SIGKILL right after the command of the tenth of twenty sales, before its partition saved a
 * checkpoint past it; a second process then gets those sales again (at least the tenth), and each
 * of their commands is a duplicate. Every ticket ends with exactly one receipt.
 */
class ReactionCrashTest {

    private static final String SCHEMA = "es_t_reaction_crash";
    private static final int TICKETS = 20;
    private static final Pattern CAUGHT_UP = Pattern.compile("caught up issued=(\\d+) duplicates=(\\d+)");

    private HikariDataSource pool;
    private PostgresStore store;
    private NodeProcess first;
    private NodeProcess second;

    @BeforeEach
    void freshSchema() {
        pool = PgTestDatabase.freshSchema(SCHEMA, 4);
        store = PostgresStore.builder(pool).schema(SCHEMA).build();
        store.migrate();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (NodeProcess node : new NodeProcess[] {first, second}) {
            if (node != null) {
                node.kill();
            }
        }
        store.close();
        pool.close();
    }

    @Test
    void a_reaction_killed_before_its_checkpoint_does_not_run_its_commands_twice() throws Exception {
        try (Engine seller = Engine.builder().store(store).build()) {
            seller.registerAggregate(Ticket.class);
            for (int n = 1; n <= TICKETS; n++) {
                String id = "t-" + n;
                seller.execute(Ticket.class, id, ticket -> ticket.record(new TicketSold(id)));
            }
        }

        first = NodeProcess.start("first", ReactionNode.class, PgTestDatabase.URL, SCHEMA, "first", "t-10");
        first.awaitLine("hanging t-10", Duration.ofSeconds(60));
        long receiptsAtKill = receipts();
        first.kill();
        assertThat(receiptsAtKill).as("the first process issued the receipts up to t-10").isEqualTo(10);
        assertThat(store.loadCheckpoints("receipts-on-sale").values()).as("its checkpoint is behind t-10's sale (position 10)")
                .allMatch(position -> position < 10);

        second = NodeProcess.start("second", ReactionNode.class, PgTestDatabase.URL, SCHEMA, "second", "-");
        String done = second.awaitLine("caught up", Duration.ofSeconds(90));
        second.awaitExit(Duration.ofSeconds(30));

        Matcher counts = CAUGHT_UP.matcher(done);
        assertThat(counts.find()).as(done).isTrue();
        int issued = Integer.parseInt(counts.group(1));
        int duplicates = Integer.parseInt(counts.group(2));
        assertThat(duplicates).as("the redelivered sales, t-10 at least, came back as duplicates").isPositive();
        assertThat(issued).as("the second process issued only the receipts the first had not").isEqualTo(TICKETS - 10);
        assertThat(receipts()).as("one receipt per ticket").isEqualTo(TICKETS);
        assertThat(PgTestDatabase.queryLong("select count(*) from (select stream_id from " + store.eventsTable()
                + " where stream_type = 'receipts' group by stream_id having count(*) > 1) twice"))
                .as("no ticket got two receipts").isZero();
    }

    private long receipts() {
        return PgTestDatabase.queryLong("select count(*) from " + store.eventsTable() + " where stream_type = 'receipts'");
    }
}

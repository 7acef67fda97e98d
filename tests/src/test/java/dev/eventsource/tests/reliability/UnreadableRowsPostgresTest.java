package dev.eventsource.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.Engine;
import dev.eventsource.EventDecodingException;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.StreamOptions;
import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.store.postgres.PgSchema;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import dev.eventsource.tests.reliability.Notebook.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rows whose metadata cannot be read (not a JSON object, a {@code null} or nested value, a key
 * twice, a key longer than any engine writes) are each that one event's failure: dead-lettered or
 * stopping only their own partition, visibly in {@code projectionStatus()}, naming position, stream,
 * version and type. Every other event of every projection is still handled, loading the aggregate
 * fails naming the event (no bare {@code NullPointerException}), and {@code close()} does not wait
 * out its timeout. Before, one such row failed the log reader's page forever and stopped every
 * partition of every projection.
 */
class UnreadableRowsPostgresTest {

    private static final String SCHEMA = "es_t_unreadable";
    private static final int STREAMS = 8;
    private static final int NOTES = 6;

    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 8);

    /** Remembers the positions it handled. */
    private static final class Seen implements Projection {
        private final String name;
        final Set<Long> positions = ConcurrentHashMap.newKeySet();

        Seen(String name) {
            this.name = name;
        }

        @Override
        public void handle(EventEnvelope<?> event) {
            positions.add(event.globalPosition());
        }

        @Override
        public String name() {
            return name;
        }
    }

    @Test
    void eachUnreadableRowIsItsOwnEventsFailureAndEveryOtherEventIsHandled() throws Exception {
        PostgresStore store = db.store(b -> b.pollInterval(Duration.ofMillis(50)));
        try (Engine writer = Engine.builder().store(store).build()) {
            writer.registerAggregate(Notebook.class);
            for (int n = 0; n < NOTES; n++) {
                for (int s = 0; s < STREAMS; s++) {
                    writer.execute(Notebook.class, "nb-" + s, new Write(Noted.text("note " + n)), Map.of("user", "ann"));
                }
            }
        }
        List<StoredEvent> bad = new ArrayList<>();
        store.readStream("notebook", "nb-0", 1, bad::add);   // versions 2..6 of one stream; version 1 stays good
        List<String> corrupt = List.of("[1,2]", "{\"user\":null}", "{\"user\":{\"nested\":1}}",
                "{\"user\":\"a\",\"user\":\"b\"}", "{\"" + "k".repeat(60_000) + "\":\"v\"}");
        for (int i = 0; i < corrupt.size(); i++) {
            PgTestDatabase.execute("UPDATE " + store.eventsTable() + " SET metadata = '" + corrupt.get(i) + "'::json"
                    + " WHERE position = " + bad.get(i).globalPosition());
        }
        long head = store.headPosition();

        Seen lenient = new Seen("lenient");
        Seen strict = new Seen("strict");
        Engine engine = Engine.builder().store(store).build();
        engine.registerAggregate(Notebook.class);
        engine.registerProjection(lenient, StreamOptions.named("lenient").partitions(2).pollInterval(Duration.ofMillis(20)));
        engine.registerProjection(strict, StreamOptions.named("strict").partitions(4).pollInterval(Duration.ofMillis(20))
                .onFailure(FailurePolicy.STOP_PARTITION));
        engine.start();

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && (lenient.positions.size() < head - corrupt.size()
                || store.loadDeadLetters("lenient").size() < corrupt.size() || !strictSettled(engine, head))) {
            Thread.sleep(20);
        }

        // The dead-letter projection: every good event handled, each bad one a dead letter naming it.
        assertThat(lenient.positions).hasSize((int) head - corrupt.size());
        List<DeadLetter> letters = store.loadDeadLetters("lenient");
        assertThat(letters).extracting(DeadLetter::globalPosition)
                .containsExactlyElementsOf(bad.stream().limit(corrupt.size()).map(StoredEvent::globalPosition).toList());
        assertThat(letters).allSatisfy(d -> {
            assertThat(d.streamType()).isEqualTo("notebook");
            assertThat(d.streamId()).isEqualTo("nb-0");
            assertThat(d.eventType()).isEqualTo("reliability.Noted");
            assertThat(d.error()).contains("EventDecodingException", "unreadable metadata", "position " + d.globalPosition());
        });
        assertThat(letters.get(4).error()).as("a huge key is not quoted whole").hasSizeLessThan(20_000);

        // The stop-partition projection: only nb-0's partition stops, at its first bad event, visibly.
        List<ProjectionStatus> strictStatus = status(engine, "strict");
        assertThat(strictStatus).filteredOn(p -> p.failure() != null).singleElement().satisfies(p -> {
            assertThat(p.failure()).contains("stopped at notebook/nb-0@2 (position " + bad.get(0).globalPosition()
                    + ", event type reliability.Noted)", "unreadable metadata", "not a JSON object");
            assertThat(p.position()).isLessThan(bad.get(0).globalPosition());
        });
        assertThat(strictStatus).filteredOn(p -> p.failure() == null).hasSize(3)
                .allSatisfy(p -> assertThat(p.position()).isEqualTo(head));
        assertThat(engine.awaitProjections(Duration.ofSeconds(5))).as("a stopped partition is reported, not waited for")
                .isFalse();

        // Loading the aggregate names the event; other aggregates load.
        assertThatThrownBy(() -> engine.load(Notebook.class, "nb-0"))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContainingAll("notebook/nb-0@2", "position " + bad.get(0).globalPosition(), "unreadable metadata");
        assertThat(engine.load(Notebook.class, "nb-1").orElseThrow().lastMetadata).containsExactly(Map.entry("user", "ann"));

        long closing = System.nanoTime();
        engine.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("close does not wait out its 30 s timeout")
                .isLessThan(Duration.ofSeconds(10));
    }

    private static boolean strictSettled(Engine engine, long head) {
        List<ProjectionStatus> status = status(engine, "strict");
        return status.stream().anyMatch(p -> p.failure() != null)
                && status.stream().filter(p -> p.failure() == null).allMatch(p -> p.position() == head);
    }

    private static List<ProjectionStatus> status(Engine engine, String projection) {
        return engine.projectionStatus().stream().filter(p -> p.projection().equals(projection)).toList();
    }
}

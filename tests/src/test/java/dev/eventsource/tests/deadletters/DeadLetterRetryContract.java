package dev.eventsource.tests.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.eventsource.Engine;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.DeadLetter;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.tests.deadletters.Shipments.Shipment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retrying dead letters end to end, over a domain compiled with the processor: a {@code @Projection}
 * with a bug dead-letters some events (one of them stored at an old payload version), the fix is
 * deployed (the test flips a switch), {@code retryDeadLetters} handles them through the one decode
 * point (the old one reaches the projection upcast to the current class), and the dead letters are
 * gone. Each store runs it with a thin subclass.
 */
abstract class DeadLetterRetryContract {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final List<Engine> engines = new ArrayList<>();

    /** A store that starts empty for each test. */
    abstract EventStore store();

    Engine engine(EventStore store) {
        Engine engine = Engine.builder().store(store).snapshotEvery(0).build();
        engine.registerAggregate(Parcel.class);
        engines.add(engine);
        return engine;
    }

    /** Releases what {@link #store()} made, after the engines closed; nothing by default. */
    void release() throws Exception {
    }

    @AfterEach
    void closeEngines() throws Exception {
        engines.forEach(Engine::close);
        release();
    }

    static StreamOptions quick(String stream) {
        return StreamOptions.named(stream).backoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2));
    }

    /** Appends what the release before version 2 wrote: a ParcelShipped at payload version 1. */
    static void storeVersion1(EventStore store, String parcelId, String carrier) {
        String json = "{\"parcelId\":\"" + parcelId + "\",\"carrier\":\"" + carrier + "\"}";
        store.append("parcel", parcelId, 0, List.of(new NewEvent(UUID.randomUUID(), "ParcelShipped", 1,
                Instant.parse("2025-06-01T08:00:00Z"), json.getBytes(StandardCharsets.UTF_8), Map.of())));
    }

    static void ship(Engine engine, String parcelId, String carrier) {
        engine.execute(Parcel.class, parcelId, new Parcel.Ship(parcelId, carrier));
    }

    static long deadLetterCount(Engine engine) {
        return engine.projectionStatus().stream().mapToLong(ProjectionStatus::deadLetters).sum();
    }

    @Test
    void dead_letters_are_retried_once_fixed_and_an_old_version_arrives_upcast() {
        EventStore store = store();
        storeVersion1(store, "p-old", "mule");                          // written long ago, at version 1
        Engine engine = engine(store);
        Shipments shipments = new Shipments();
        shipments.brokenCarrier = "mule";
        engine.registerProjection(shipments, quick("shipments").partitions(3));
        engine.start();
        ship(engine, "p-1", "van");
        ship(engine, "p-2", "mule");
        ship(engine, "p-1", "mule");
        ship(engine, "p-3", "van");
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(store.loadDeadLetters("shipments")).extracting(DeadLetter::streamId)
                .containsExactly("p-old", "p-2", "p-1");
        assertThat(deadLetterCount(engine)).isEqualTo(3);

        shipments.brokenCarrier = null;                                  // the fix is deployed
        assertThat(engine.retryDeadLetters(shipments)).isEqualTo(3);

        assertThat(store.loadDeadLetters("shipments")).isEmpty();
        assertThat(deadLetterCount(engine)).isZero();
        assertThat(shipments.shipments()).extracting(Shipment::parcelId, Shipment::carrier, Shipment::service)
                .containsExactlyInAnyOrder(
                        tuple("p-old", "mule", "standard"),   // upcast from version 1
                        tuple("p-1", "van", "express"),
                        tuple("p-2", "mule", "express"),
                        tuple("p-1", "mule", "express"),
                        tuple("p-3", "van", "express"));
    }

    @Test
    void a_retry_that_fails_again_keeps_the_dead_letter_with_more_attempts() {
        EventStore store = store();
        storeVersion1(store, "p-old", "mule");
        Engine engine = engine(store);
        Shipments shipments = new Shipments();
        shipments.brokenCarrier = "mule";
        engine.registerProjection(shipments, quick("shipments").maxAttempts(2));
        engine.start();
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        DeadLetter before = store.loadDeadLetters("shipments").get(0);
        assertThat(before.attempts()).isEqualTo(2);

        assertThat(engine.retryDeadLetters(shipments)).as("not fixed yet").isZero();

        assertThat(store.loadDeadLetters("shipments")).singleElement().satisfies(d -> {
            assertThat(d.globalPosition()).isEqualTo(before.globalPosition());
            assertThat(d.attempts()).isEqualTo(4);
            assertThat(d.error()).contains("bug: cannot ship with mule");
            assertThat(d.failedAt()).isAfterOrEqualTo(before.failedAt());
        });
        assertThat(deadLetterCount(engine)).isEqualTo(1);
        assertThat(shipments.shipments()).isEmpty();
    }

    @Test
    void retries_run_between_new_events_and_every_event_is_handled_exactly_once() throws Exception {
        EventStore store = store();
        Engine engine = engine(store);
        Shipments shipments = new Shipments();
        shipments.brokenCarrier = "mule";
        engine.registerProjection(shipments, quick("shipments").maxAttempts(1));   // one partition: one thread
        engine.start();
        for (int i = 0; i < 30; i++) {
            ship(engine, "p-" + (i % 6), "mule");
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();
        assertThat(store.loadDeadLetters("shipments")).hasSize(30);
        shipments.brokenCarrier = null;

        ExecutorService writers = Executors.newFixedThreadPool(2);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                String carrier = "van-" + w;
                String streams = "q-" + w + "-";   // each writer its own parcels: no version conflicts between them
                running.add(writers.submit(() -> {
                    for (int i = 0; writing.get() || i < 10; i++) {
                        ship(engine, streams + (i % 3), carrier);
                        written.incrementAndGet();
                    }
                }));
            }
            int retried = engine.retryDeadLetters(shipments);
            writing.set(false);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(retried).isEqualTo(30);
        } finally {
            writers.shutdownNow();
        }
        assertThat(engine.awaitProjections(WAIT)).isTrue();

        assertThat(shipments.overlaps).as("never called from two threads at once").hasValue(0);
        assertThat(store.loadDeadLetters("shipments")).isEmpty();
        assertThat(shipments.shipments()).extracting(Shipment::position).as("each event exactly once")
                .doesNotHaveDuplicates().hasSize(30 + written.get());
    }
}

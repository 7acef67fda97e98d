package dev.eventsource.tests.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.StreamOptions;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events stored under the old names of renamed event types ({@code @EventType(aliases)}) are read by
 * an aggregate, by an asynchronous {@code @Projection} (also when it is rebuilt) and by a plain
 * projection ({@link EveryEvent}), which receives every event decoded with the engine's registry;
 * new events are written under the current name. Each store runs it with a thin subclass.
 */
abstract class AliasesContract {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A store that starts empty for each test. */
    abstract EventStore store();

    private static NewEvent stored(String eventType, String json) {
        return new NewEvent(UUID.randomUUID(), eventType, 1, Instant.parse("2026-01-02T03:04:05Z"),
                json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void events_stored_under_old_names_are_read_through_the_aliases() {
        EventStore store = store();
        // What the previous release wrote, before MemberJoined became MemberSignedUp and "plan-changed" "PlanChanged".
        store.append("Membership", "m1", 0, List.of(
                stored("MemberJoined", "{\"memberId\":\"m1\",\"plan\":\"basic\"}"),
                stored("plan-changed", "{\"memberId\":\"m1\",\"plan\":\"pro\"}")));

        Plans plans = new Plans();
        EveryEvent plain = new EveryEvent("every-event");
        try (Engine engine = Engine.builder().store(store).build()) {
            engine.registerAggregate(Membership.class);
            engine.registerProjection(plans, StreamOptions.named("plans").partitions(2));
            engine.registerProjection(plain, StreamOptions.named("every-event"));
            engine.start();

            Membership loaded = engine.load(Membership.class, "m1").orElseThrow();
            assertThat(loaded.plan).isEqualTo("pro");
            assertThat(loaded.changes).isEqualTo(1);
            assertThat(loaded.version()).isEqualTo(2);

            engine.execute(Membership.class, "m1", new Membership.ChangePlan("team"));
            List<String> types = new ArrayList<>();
            store.readStream("Membership", "m1", 0, (StoredEvent e) -> types.add(e.eventType()));
            assertThat(types).as("new events are written under the current name")
                    .containsExactly("MemberJoined", "plan-changed", "PlanChanged");

            assertThat(engine.awaitProjections(WAIT)).isTrue();
            assertThat(plans.plans).isEqualTo(Map.of("m1", "team"));
            assertThat(plans.storedTypes).containsExactly("MemberJoined", "plan-changed", "PlanChanged");
            assertThat(plain.events).containsExactly(new MemberSignedUp("m1", "basic"), new PlanChanged("m1", "pro"),
                    new PlanChanged("m1", "team"));

            engine.rebuildProjection(plans);
            assertThat(engine.awaitProjections(WAIT)).isTrue();
            assertThat(plans.plans).isEqualTo(Map.of("m1", "team"));
            assertThat(plans.storedTypes).as("rebuilt from the old names too")
                    .containsExactly("MemberJoined", "plan-changed", "PlanChanged");
        }
    }
}

package dev.eventsource.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.CommandContext;
import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.Projection;
import dev.eventsource.StreamOptions;
import dev.eventsource.StreamOptions.FailurePolicy;
import dev.eventsource.store.InMemoryStore;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Commands.AddThenFail;
import dev.eventsource.testdomain.Counter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spans of commands and projection batches, through the SDK into an in-memory exporter. */
class EventsourceTracingTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build();
    private final EventsourceTracing tracing = new EventsourceTracing(otel);
    private final InMemoryStore store = new InMemoryStore();

    @AfterEach
    void closeSdk() {
        otel.close();
    }

    /** Fails on every event; named by its class, {@code Failing}. */
    static final class Failing implements Projection {
        @Override
        public void handle(EventEnvelope<?> event) {
            throw new IllegalStateException("no");
        }
    }

    private Engine engine() {
        Engine engine = Engine.builder().store(store).commandInterceptor(tracing).observer(tracing)
                .closeTimeout(Duration.ofMillis(500)).build();
        engine.registerAggregate(Counter.class);
        return engine;
    }

    private SpanData span(String name, String aggregateId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (SpanData s : exporter.getFinishedSpanItems()) {
                if (s.getName().equals(name) && (aggregateId == null
                        || aggregateId.equals(s.getAttributes().get(AttributeKey.stringKey(EventsourceTracing.AGGREGATE_ID))))) {
                    return s;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no span " + name + " " + aggregateId + " in " + exporter.getFinishedSpanItems());
    }

    private static String traceparent(SpanData span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01";
    }

    @Test
    void aCommandSpanCarriesItsAttributesAndItsContextIsStoredWithTheEvents() throws Exception {
        try (Engine engine = engine()) {
            engine.execute(Counter.class, "c1", new Add("c1", 3));
            SpanData command = span("Counter command", "c1");
            assertThat(command.getKind()).isEqualTo(SpanKind.INTERNAL);
            assertThat(command.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(command.getAttributes().get(AttributeKey.stringKey(EventsourceTracing.STREAM_TYPE))).isEqualTo("Counter");
            assertThat(command.getAttributes().get(AttributeKey.stringKey(EventsourceTracing.COMMAND))).isEqualTo("Add");
            assertThat(command.getAttributes().get(AttributeKey.longKey(EventsourceTracing.VERSION))).isEqualTo(2);
            assertThat(command.getAttributes().get(AttributeKey.longKey(EventsourceTracing.EVENT_COUNT))).isEqualTo(2);
            assertThat(command.getAttributes().get(AttributeKey.stringKey(EventsourceTracing.OUTCOME))).isEqualTo("ok");

            List<EventEnvelope<?>> events = engine.readStream(Counter.class, "c1");
            assertThat(events).hasSize(2).allSatisfy(e ->
                    assertThat(e.metadata()).containsEntry("traceparent", traceparent(command)));
        }
    }

    @Test
    void aProjectionBatchSpanLinksToTheCommandsAndItsReactionsAreItsChildren() throws Exception {
        Engine engine = engine();
        Projection reaction = new Projection() {
            @Override
            public void handle(EventEnvelope<?> event) {
                if (event.streamId().equals("c1") && event.eventType().equals("Created")) {
                    engine.execute(Counter.class, "r1", new Add("r1", 1), CommandContext.causedBy(event, "copy"));
                }
            }

            @Override
            public String name() {
                return "reaction";
            }
        };
        try (engine) {
            engine.registerProjection(reaction, StreamOptions.named("reaction"));
            engine.start();
            engine.execute(Counter.class, "c1", new Add("c1", 1));
            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();

            SpanData command = span("Counter command", "c1");
            SpanData reacted = span("Counter command", "r1");
            SpanData batch = exporter.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("reaction batch") && s.getSpanId().equals(reacted.getParentSpanId()))
                    .findFirst().orElseThrow(() -> new AssertionError("no batch span is the reaction's parent: "
                            + exporter.getFinishedSpanItems()));
            assertThat(reacted.getTraceId()).isEqualTo(batch.getTraceId());
            assertThat(batch.getTraceId()).isNotEqualTo(command.getTraceId());
            assertThat(batch.getLinks()).anySatisfy(link -> {
                assertThat(link.getSpanContext().getTraceId()).isEqualTo(command.getTraceId());
                assertThat(link.getSpanContext().getSpanId()).isEqualTo(command.getSpanId());
            });
            assertThat(batch.getAttributes().get(AttributeKey.stringKey(EventsourceTracing.PROJECTION))).isEqualTo("reaction");
            assertThat(batch.getAttributes().get(AttributeKey.longKey(EventsourceTracing.PARTITION))).isEqualTo(0);
            assertThat(batch.getAttributes().get(AttributeKey.longKey(EventsourceTracing.FIRST_POSITION))).isEqualTo(1);
            assertThat(batch.getAttributes().get(AttributeKey.longKey(EventsourceTracing.EVENT_COUNT))).isPositive();
            assertThat(batch.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        }
    }

    @Test
    void failuresSetErrorStatusAndRecordTheException() throws Exception {
        try (Engine engine = engine()) {
            engine.registerProjection(new Failing(), StreamOptions.named("failing").maxAttempts(1)
                    .onFailure(FailurePolicy.STOP_PARTITION));
            engine.start();
            assertThatThrownBy(() -> engine.execute(Counter.class, "f1", new AddThenFail("f1")))
                    .isInstanceOf(IllegalStateException.class);
            SpanData command = span("Counter command", "f1");
            assertThat(command.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(command.getAttributes().get(AttributeKey.stringKey(EventsourceTracing.OUTCOME))).isEqualTo("failed");
            assertThat(command.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));

            assertThatThrownBy(() -> engine.execute(Counter.class, "f2", new Add("f2", 0)));
            assertThat(span("Counter command", "f2").getAttributes().get(AttributeKey.stringKey(EventsourceTracing.OUTCOME)))
                    .isEqualTo("rejected");

            engine.execute(Counter.class, "c1", new Add("c1", 1));
            SpanData batch = span("Failing batch", null);
            assertThat(batch.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(batch.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
        }
    }
}

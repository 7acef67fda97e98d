package dev.eventsource.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.EventEnvelope;
import dev.eventsource.micrometer.EventsourceMetrics;
import dev.eventsource.opentelemetry.EventsourceTracing;
import dev.eventsource.spring.boot.domain.OpenTicket;
import dev.eventsource.spring.boot.domain.Ticket;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The metrics and tracing auto-configurations in a real Spring context: a {@code SimpleMeterRegistry}
 * bean gets the documented meters, an OpenTelemetry SDK bean the command and batch spans; the switches
 * and a user's own {@code Engine} bean; and both on PostgreSQL.
 */
class EventsourceObservabilityTest {

    static final AutoConfigurations OBSERVABILITY = AutoConfigurations.of(EventsourceMetricsAutoConfiguration.class,
            EventsourceTracingAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(EventsourceAutoConfigurationTest.ALL).withConfiguration(OBSERVABILITY)
            .withUserConfiguration(TestBeans.class).withPropertyValues("eventsource.close-timeout=5s");

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Telemetry {
        @Bean
        InMemorySpanExporter spanExporter() {
            return InMemorySpanExporter.create();
        }

        @Bean(destroyMethod = "close")
        OpenTelemetrySdk openTelemetry(InMemorySpanExporter exporter) {
            return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
        }
    }

    /** An engine of the application's own, given the starter's customizers as docs/spring-boot.md says. */
    @Configuration(proxyBeanMethods = false)
    static class OwnEngine {
        @Bean
        Engine engine(EventStore store, ObjectProvider<EngineCustomizer> customizers) {
            Engine.Builder builder = Engine.builder().store(store).instanceId("own");
            customizers.orderedStream().forEach(c -> c.customize(builder));
            return builder.build();
        }
    }

    /** Opens ticket t-1 on the context's engine and waits for the projections; returns the engine. */
    private static Engine openOneTicket(ApplicationContext context) {
        Engine engine = context.getBean(Engine.class);
        engine.execute(Ticket.class, "t-1", new OpenTicket("t-1", "printer"));
        assertThat(engine.awaitProjections(Duration.ofSeconds(15))).isTrue();
        return engine;
    }

    private static double commandsCount(MeterRegistry registry) {
        return registry.get("eventsource.commands").tags("aggregate", "Ticket", "outcome", "ok", "duplicate", "false")
                .timer().count();
    }

    private static void assertMetersAfterOneCommand(MeterRegistry registry) {
        assertThat(commandsCount(registry)).isEqualTo(1);
        assertThat(registry.get("eventsource.events.appended").tags("aggregate", "Ticket").counter().count()).isEqualTo(1);
        assertThat(registry.get("eventsource.append.commands").tags("aggregate", "Ticket").summary().count()).isEqualTo(1);
        assertThat(registry.get("eventsource.projection.partitions").gauge().value()).isEqualTo(2);
        for (String name : List.of("eventsource.projection.lag", "eventsource.projection.dead.letters",
                "eventsource.projection.stopped")) {
            assertThat(registry.get(name).tags("projection", "open-tickets", "partition", "0").gauge().value())
                    .as(name).isZero();
        }
        assertThat(registry.get("eventsource.projection.lag.time").tags("projection", "open-tickets", "partition", "0")
                .timeGauge().value()).isZero();
    }

    @Test
    void aMeterRegistryBeanGetsTheEnginesMeters() {
        runner.withUserConfiguration(Registry.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EventsourceMetrics.class)
                    .doesNotHaveBean(EventsourceTracing.class);
            openOneTicket(context);
            assertMetersAfterOneCommand(context.getBean(MeterRegistry.class));
        });
    }

    @Test
    void eventsourceMetricsEnabledFalseOrNoRegistryMeansNoMeters() {
        runner.withUserConfiguration(Registry.class).withPropertyValues("eventsource.metrics.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(EventsourceMetrics.class);
            context.getBean(Engine.class).execute(Ticket.class, "t-1", new OpenTicket("t-1", "printer"));
            assertThat(context.getBean(MeterRegistry.class).find("eventsource.commands").meters()).isEmpty();
        });
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EventsourceMetrics.class)
                .doesNotHaveBean(EventsourceTracing.class));
    }

    @Test
    void anOpenTelemetryBeanTracesCommandsAndLinksTheProjectionBatchToThem() {
        runner.withUserConfiguration(Telemetry.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(EventsourceTracing.class)
                    .doesNotHaveBean(EventsourceMetrics.class);
            assertCommandLinkedFromBatch(context.getBean(InMemorySpanExporter.class), openOneTicket(context));
        });
        runner.withUserConfiguration(Telemetry.class).withPropertyValues("eventsource.tracing.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(EventsourceTracing.class));
    }

    private static void assertCommandLinkedFromBatch(InMemorySpanExporter exporter, Engine engine)
            throws InterruptedException {
        TestBeans.await("the open-tickets batch span", Duration.ofSeconds(10), () -> exporter.getFinishedSpanItems()
                .stream().anyMatch(s -> s.getName().equals("open-tickets batch")));
        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData command = spans.stream().filter(s -> s.getName().equals("Ticket command")).findFirst().orElseThrow();
        SpanData batch = spans.stream().filter(s -> s.getName().equals("open-tickets batch")).findFirst().orElseThrow();
        assertThat(batch.getLinks()).anySatisfy(link -> {      // the stored context: remote, same trace and span
            assertThat(link.getSpanContext().getTraceId()).isEqualTo(command.getTraceId());
            assertThat(link.getSpanContext().getSpanId()).isEqualTo(command.getSpanId());
        });
        List<EventEnvelope<?>> events = engine.readStream(Ticket.class, "t-1");
        assertThat(events).singleElement().satisfies(e -> assertThat(e.metadata())
                .containsEntry("traceparent", "00-" + command.getTraceId() + "-" + command.getSpanId() + "-01"));
    }

    @Test
    void customizersApplyToTheAutoConfiguredEngineAfterThePropertiesAndToAnOwnEngineThatAppliesThem() {
        runner.withUserConfiguration(Registry.class).withPropertyValues("eventsource.instance-id=from-properties")
                .withBean("renaming", EngineCustomizer.class, () -> b -> b.instanceId("from-customizer"))
                .run(context -> assertThat(context.getBean(Engine.class).instanceId()).isEqualTo("from-customizer"));
        runner.withUserConfiguration(Registry.class, OwnEngine.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(openOneTicket(context).instanceId()).isEqualTo("own");
            assertMetersAfterOneCommand(context.getBean(MeterRegistry.class));
        });
    }

    @Test
    void onPostgresBothAreWiredAndTheTraceContextIsStored() {
        String schema = "es_spring_observability";
        PgTestDatabase.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
        runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withUserConfiguration(Registry.class, Telemetry.class)
                .withPropertyValues("spring.datasource.url=" + PgTestDatabase.URL,
                        "spring.datasource.hikari.maximum-pool-size=4", "eventsource.postgres.schema=" + schema)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Engine engine = openOneTicket(context);
                    assertThat(engine.store()).isInstanceOf(PostgresStore.class);
                    assertMetersAfterOneCommand(context.getBean(MeterRegistry.class));
                    assertCommandLinkedFromBatch(context.getBean(InMemorySpanExporter.class), engine);
                });
    }
}

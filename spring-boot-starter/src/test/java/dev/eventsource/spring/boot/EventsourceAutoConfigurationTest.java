package dev.eventsource.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.Engine;
import dev.eventsource.ProjectionStatus;
import dev.eventsource.spring.boot.domain.ClosingAudit;
import dev.eventsource.spring.boot.domain.OpenTicket;
import dev.eventsource.spring.boot.domain.OpenTickets;
import dev.eventsource.spring.boot.domain.Ticket;
import dev.eventsource.spring.boot.internal.EngineLifecycle;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** The auto-configuration in a real Spring context without a DataSource: the in-memory store. */
class EventsourceAutoConfigurationTest {

    static final AutoConfigurations ALL = AutoConfigurations.of(EventsourceAutoConfiguration.class,
            EventsourceHealthAutoConfiguration.class, EventsourceEndpointAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(ALL)
            .withUserConfiguration(TestBeans.class).withPropertyValues("eventsource.close-timeout=5s");

    @Test
    void withoutDataSourceTheEngineRunsInMemoryAndACommandReachesTheProjectionBeans() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Engine.class).hasSingleBean(EngineLifecycle.class);
            Engine engine = context.getBean(Engine.class);
            assertThat(engine.store()).isInstanceOf(InMemoryStore.class).isSameAs(context.getBean(EventStore.class));

            engine.execute(Ticket.class, "t-1", new OpenTicket("t-1", "printer on fire"));   // no registerAggregate anywhere

            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
            assertThat(context.getBean(OpenTickets.class).ids()).containsExactly("t-1");
            assertThat(context.getBean(ClosingAudit.class).handled).hasValue(1);
            assertThat(engine.projectionStatus()).extracting(ProjectionStatus::projection, ProjectionStatus::stream)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("open-tickets", "open-tickets"),
                            org.assertj.core.groups.Tuple.tuple("closing-audit", "closing-audit"));
        });
    }

    @Test
    void projectionAndEnginePropertiesTakeEffect() {
        runner.withPropertyValues("eventsource.instance-id=node-7",
                "eventsource.projections.open-tickets.partitions=4",
                "eventsource.projections.open-tickets.stream=tickets",
                "eventsource.projections.closingAudit.inline=true").run(context -> {   // matched ignoring case and dashes
            Engine engine = context.getBean(Engine.class);
            assertThat(engine.instanceId()).isEqualTo("node-7");
            List<ProjectionStatus> status = engine.projectionStatus();
            assertThat(status).filteredOn(s -> s.projection().equals("open-tickets"))
                    .extracting(ProjectionStatus::partition).containsExactlyInAnyOrder(0, 1, 2, 3);
            assertThat(status).filteredOn(s -> s.projection().equals("open-tickets"))
                    .allSatisfy(s -> assertThat(s.stream()).isEqualTo("tickets"));
            assertThat(status).filteredOn(s -> s.projection().equals("closing-audit"))
                    .singleElement().satisfies(s -> assertThat(s.inline()).isTrue());

            engine.execute(Ticket.class, "t-2", new OpenTicket("t-2", "inline"));
            assertThat(context.getBean(ClosingAudit.class).handled).hasValue(1);   // inline: before execute returned
        });
    }

    @Test
    void projectionDefaultsApplyToEveryBeanUnlessItsOwnEntrySaysOtherwise() {
        runner.withPropertyValues("eventsource.projection-defaults.partitions=3",
                "eventsource.projections.closing-audit.partitions=2").run(context -> {
            List<ProjectionStatus> status = context.getBean(Engine.class).projectionStatus();
            assertThat(status).filteredOn(s -> s.projection().equals("open-tickets")).hasSize(3);
            assertThat(status).filteredOn(s -> s.projection().equals("closing-audit")).hasSize(2);
        });
    }

    @Test
    void aBadPropertyFailsTheStartupWithTheEnginesMessage() {
        runner.withPropertyValues("eventsource.lease-timeout=50ms").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("leaseTimeout must be at least 100 ms"));
        runner.withPropertyValues("eventsource.projections.open-tickets.partitions=0").run(context -> assertThat(context)
                .hasFailed().getFailure().rootCause().hasMessageContaining("partitions must be between 1 and 1024: 0"));
        runner.withPropertyValues("eventsource.command-batch-size=0").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("commandBatchSize must be at least 1: 0"));
        runner.withPropertyValues("eventsource.max-retry-backoff=0ms").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("retryBackoff needs 0 <= initial <= max: PT0.001S, PT0S"));
        runner.withPropertyValues("eventsource.retry-backoff=5ms", "eventsource.max-retry-backoff=20ms",
                "eventsource.command-batch-size=1").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void registrationCanBeTurnedOff() {
        runner.withPropertyValues("eventsource.projections.open-tickets.enabled=false", "eventsource.register-aggregates=false")
                .run(context -> {
                    Engine engine = context.getBean(Engine.class);
                    assertThat(engine.projectionStatus()).extracting(ProjectionStatus::projection).containsOnly("closing-audit");
                    assertThatThrownBy(() -> engine.execute(Ticket.class, "t-3", new OpenTicket("t-3", "x")))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not registered");
                });
        runner.withPropertyValues("eventsource.register-projections=false")
                .run(context -> assertThat(context.getBean(Engine.class).projectionStatus()).isEmpty());
    }

    @Test
    void aUserSuppliedEngineWinsAndStillGetsTheAggregatesAndProjections() {
        InMemoryStore own = new InMemoryStore();
        runner.withBean("myEngine", Engine.class, () -> Engine.builder().store(own).instanceId("mine").build()).run(context -> {
            assertThat(context).hasSingleBean(Engine.class).doesNotHaveBean("eventsourceEngine");
            Engine engine = context.getBean(Engine.class);
            assertThat(engine.instanceId()).isEqualTo("mine");
            engine.execute(Ticket.class, "t-4", new OpenTicket("t-4", "own engine"));
            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
            assertThat(context.getBean(OpenTickets.class).ids()).containsExactly("t-4");
        });
    }

    @Test
    void aLazyProjectionBeanIsRegisteredAndStartedWhenItIsCreated() {
        new ApplicationContextRunner().withConfiguration(ALL)
                .withBean("lateTickets", OpenTickets.class, () -> new OpenTickets() {   // unannotated subclass: OpenTickets' descriptor
                }, definition -> definition.setLazyInit(true))
                .run(context -> {
                    Engine engine = context.getBean(Engine.class);
                    assertThat(engine.projectionStatus()).isEmpty();
                    engine.execute(Ticket.class, "t-8", new OpenTicket("t-8", "before the bean"));

                    OpenTickets late = context.getBean("lateTickets", OpenTickets.class);   // created now, after start

                    assertThat(engine.projectionStatus()).extracting(ProjectionStatus::projection).containsOnly("open-tickets");
                    assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
                    assertThat(late.ids()).containsExactly("t-8");   // started late, read the log from the beginning
                });
    }

    @Test
    void aUserSuppliedStoreWins() {
        InMemoryStore own = new InMemoryStore();
        runner.withBean(EventStore.class, () -> own)
                .run(context -> assertThat(context.getBean(Engine.class).store()).isSameAs(own));
    }

    @Test
    void postgresWithoutADataSourceFailsTheStartupSayingWhy() {
        runner.withPropertyValues("eventsource.store=postgres").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("eventsource.store=postgres needs exactly one DataSource bean"));
    }

    @Test
    void closingTheContextClosesTheEngineAfterItsProjectionsCaughtUp() {
        ConfigurableApplicationContext[] kept = new ConfigurableApplicationContext[1];
        Engine[] engine = new Engine[1];
        OpenTickets[] tickets = new OpenTickets[1];
        runner.run(context -> {
            kept[0] = context;
            engine[0] = context.getBean(Engine.class);
            tickets[0] = context.getBean(OpenTickets.class);
            for (int i = 0; i < 50; i++) {
                engine[0].execute(Ticket.class, "t-" + i, new OpenTicket("t-" + i, "load"));
            }
        });
        assertThat(kept[0].isActive()).isFalse();
        assertThatThrownBy(() -> engine[0].execute(Ticket.class, "t-x", new OpenTicket("t-x", "late")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("engine is closed");
        assertThat(tickets[0].ids()).hasSize(50);   // close drained the queues
    }

    @Test
    void healthIsOutOfServiceWhileAProjectionLagsBeyondMaxLag() {
        runner.withPropertyValues("eventsource.health.max-lag=0").run(context -> {
            HealthIndicator health = context.getBean("eventsourceHealthIndicator", HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            ClosingAudit audit = context.getBean(ClosingAudit.class);
            audit.holding = true;
            Engine engine = context.getBean(Engine.class);
            engine.execute(Ticket.class, "t-5", new OpenTicket("t-5", "slow"));
            engine.execute(Ticket.class, "t-6", new OpenTicket("t-6", "slow"));

            TestBeans.await("OUT_OF_SERVICE", Duration.ofSeconds(10), () -> health.health().getStatus() == Status.OUT_OF_SERVICE);
            Health lagging = health.health();
            assertThat(lagging.getDetails()).containsEntry("instance", engine.instanceId()).containsEntry("headPosition", 2L);
            assertThat(lagging.getDetails().get("projections").toString()).contains("closing-audit")
                    .contains("events behind (max-lag 0)");

            audit.holding = false;
            audit.release.countDown();
            assertThat(engine.awaitProjections(Duration.ofSeconds(10))).isTrue();
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void theHealthIndicatorCanBeTurnedOff() {
        runner.withPropertyValues("management.health.eventsource.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("eventsourceHealthIndicator"));
    }
}

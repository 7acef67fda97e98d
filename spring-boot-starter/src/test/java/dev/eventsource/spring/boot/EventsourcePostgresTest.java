package dev.eventsource.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.Engine;
import dev.eventsource.spring.boot.domain.CloseTicket;
import dev.eventsource.spring.boot.domain.ClosingAudit;
import dev.eventsource.spring.boot.domain.OpenTicket;
import dev.eventsource.spring.boot.domain.OpenTickets;
import dev.eventsource.spring.boot.domain.Ticket;
import dev.eventsource.spring.boot.internal.EventsourceEndpoint;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.store.postgres.PostgresStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configuration on the real PostgreSQL server ({@code EVENTSOURCE_PG_URL}) through Spring
 * Boot's own {@code DataSource} auto-configuration (HikariCP); each test in a fresh schema of its
 * own. An unreachable server fails the tests.
 */
class EventsourcePostgresTest {

    /** A runner on the fresh schema {@code schema}. */
    private static ApplicationContextRunner runner(String schema) {
        PgTestDatabase.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withConfiguration(EventsourceAutoConfigurationTest.ALL)
                .withUserConfiguration(TestBeans.class)
                .withPropertyValues("spring.datasource.url=" + PgTestDatabase.URL,
                        "spring.datasource.hikari.maximum-pool-size=6",
                        "eventsource.postgres.schema=" + schema,
                        "eventsource.close-timeout=5s", "management.endpoints.web.exposure.include=health,eventsource");
    }

    @Test
    void withADataSourceTheEngineRunsOnPostgresAndACommandReachesTheProjectionBeans() {
        runner("es_spring_commands").withPropertyValues("eventsource.projections.open-tickets.partitions=4").run(context -> {
            assertThat(context).hasNotFailed();
            Engine engine = context.getBean(Engine.class);
            PostgresStore store = (PostgresStore) engine.store();
            assertThat(store.eventsTable()).isEqualTo("es_spring_commands.es_events");

            engine.execute(Ticket.class, "t-1", new OpenTicket("t-1", "printer"));
            engine.execute(Ticket.class, "t-2", new OpenTicket("t-2", "scanner"));
            engine.execute(Ticket.class, "t-1", new CloseTicket("t-1"));

            assertThat(engine.awaitProjections(Duration.ofSeconds(15))).isTrue();
            assertThat(context.getBean(OpenTickets.class).ids()).containsExactly("t-2");
            assertThat(PgTestDatabase.queryLong("SELECT count(*) FROM " + store.eventsTable())).isEqualTo(3);

            EventsourceEndpoint.Report report = context.getBean(EventsourceEndpoint.class).report();
            assertThat(report.instance()).isEqualTo(engine.instanceId());
            assertThat(report.store()).isEqualTo("PostgresStore");
            assertThat(report.headPosition()).isEqualTo(3);
            assertThat(report.projections()).filteredOn(p -> p.name().equals("open-tickets")).singleElement()
                    .satisfies(p -> {
                        assertThat(p.partitions()).hasSize(4).allSatisfy(s -> {
                            assertThat(s.owner()).isEqualTo(engine.instanceId());
                            assertThat(s.leaseExpiresAt()).isNotNull();
                        });
                        assertThat(p.lag()).isZero();
                    });
            assertThat(context.getBean(EventsourceEndpoint.class).projection("closing-audit").partitions()).hasSize(1);
            assertThat(context.getBean("eventsourceHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);
        });
    }

    @Test
    void healthGoesDownWhenAPartitionStopsOnAFailure() {
        runner("es_spring_stopped").withPropertyValues("eventsource.projections.closing-audit.failure-policy=stop-partition",
                "eventsource.projections.closing-audit.max-attempts=1").run(context -> {
            HealthIndicator health = context.getBean("eventsourceHealthIndicator", HealthIndicator.class);
            Engine engine = context.getBean(Engine.class);
            context.getBean(ClosingAudit.class).failing = true;
            engine.execute(Ticket.class, "t-1", new OpenTicket("t-1", "printer"));
            assertThat(engine.awaitProjections(Duration.ofSeconds(15))).isTrue();
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            engine.execute(Ticket.class, "t-1", new CloseTicket("t-1"));

            TestBeans.await("health DOWN", Duration.ofSeconds(15), () -> health.health().getStatus() == Status.DOWN);
            Health down = health.health();
            assertThat(down.getDetails().get("projections").toString())
                    .contains("closing-audit").contains("partition 0: ").contains("audit cannot record the closing of t-1");
            assertThat(context.getBean(EventsourceEndpoint.class).projection("closing-audit").stopped()).isTrue();
        });
    }

    @Test
    void healthIsDownWhenTheStoreDoesNotAnswer() {
        runner("es_spring_unreachable").withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nothing?user=postgres",
                "spring.datasource.hikari.connection-timeout=250", "eventsource.auto-start=false").run(context -> {
            Health health = context.getBean("eventsourceHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("store").toString()).startsWith("unreachable: ");
        });
    }
}

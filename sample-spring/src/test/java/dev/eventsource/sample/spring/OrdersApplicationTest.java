package dev.eventsource.sample.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.postgres.PgTestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * Boots the whole service on a random port against the real PostgreSQL ({@code EVENTSOURCE_PG_URL}),
 * in a fresh schema, and drives it over HTTP as a client would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@SuppressWarnings({"rawtypes", "unchecked"})
class OrdersApplicationTest {

    private static final String SCHEMA = "es_sample_spring_test";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PgTestDatabase.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA);
        registry.add("spring.datasource.url", () -> PgTestDatabase.URL);
        registry.add("eventsource.postgres.schema", () -> SCHEMA);
    }

    @Value("${local.server.port}")
    int port;

    private RestClient http;

    @BeforeEach
    void client() {
        http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> { })   // tests look at the status
                .build();
    }

    @Test
    void placeAddAlinePayAndReadTheSummaryOverHttp() throws Exception {
        ResponseEntity<Map> placed = post("/orders", Map.of("id", "order-1", "customerId", "c-1", "amount", 20.0));
        assertThat(placed.getStatusCode().value()).isEqualTo(201);
        assertThat(placed.getHeaders().getLocation()).hasPath("/orders/order-1");
        assertThat(placed.getBody()).containsEntry("status", "created").containsEntry("version", 1);

        ResponseEntity<Map> line = post("/orders/order-1/lines", Map.of("sku", "sku-42", "quantity", 2, "unitPrice", 5.0));
        assertThat(line.getStatusCode().value()).isEqualTo(200);
        assertThat(line.getBody()).containsEntry("outstanding", 30.0);

        ResponseEntity<Map> paid = post("/orders/order-1/payments", Map.of("paymentId", "pay-1", "amount", 30.0));
        assertThat(paid.getStatusCode().value()).isEqualTo(200);
        assertThat(paid.getBody()).containsEntry("outstanding", 0.0).containsEntry("version", 3);

        ResponseEntity<Map> overpaid = post("/orders/order-1/payments", Map.of("paymentId", "pay-2", "amount", 1.0));
        assertThat(overpaid.getStatusCode().value()).isEqualTo(422);
        assertThat(overpaid.getBody().get("error").toString()).contains("exceeds the outstanding");

        Map summary = awaitSummary("order-1", s -> Double.valueOf(30.0).equals(s.get("paid")));
        assertThat(summary).containsEntry("id", "order-1").containsEntry("amount", 30.0).containsEntry("paid", 30.0);
        assertThat(http.get().uri("/orders/none").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void healthIsUpAndPrometheusAndTheEventsourceEndpointAnswer() throws Exception {
        ResponseEntity<Map> health = http.get().uri("/actuator/health").retrieve().toEntity(Map.class);
        assertThat(health.getStatusCode().value()).isEqualTo(200);
        assertThat(health.getBody()).containsEntry("status", "UP");
        assertThat(health.getBody().get("components").toString()).contains("eventsource=").contains("db=");

        assertThat(post("/orders", Map.of("id", "order-metrics", "customerId", "c-1", "amount", 5.0))
                .getStatusCode().value()).isEqualTo(201);
        awaitSummary("order-metrics", s -> true);
        http.get().uri("/actuator/prometheus").retrieve().toEntity(String.class);   // the first scrape finds the partitions
        ResponseEntity<String> prometheus = http.get().uri("/actuator/prometheus").retrieve().toEntity(String.class);
        assertThat(prometheus.getStatusCode().value()).isEqualTo(200);
        assertThat(prometheus.getBody()).contains("jvm_memory_used_bytes").contains("hikaricp_connections")
                .containsPattern("eventsource_commands_seconds_count\\{aggregate=\"Order\",duplicate=\"false\",outcome=\"ok\"\\} [1-9]")
                .contains("eventsource_events_appended_total{aggregate=\"Order\"}")
                .contains("eventsource_append_commands_count{aggregate=\"Order\"}")
                .contains("eventsource_projection_partitions ")
                .contains("eventsource_projection_lag_events{partition=\"0\",projection=\"order-table\"}")
                .contains("eventsource_projection_lag_time_seconds{partition=\"0\",projection=\"order-table\"}")
                .contains("eventsource_projection_dead_letters{partition=\"0\",projection=\"order-table\"}")
                .contains("eventsource_projection_stopped{partition=\"0\",projection=\"order-table\"} 0");

        ResponseEntity<Map> eventsource = http.get().uri("/actuator/eventsource").retrieve().toEntity(Map.class);
        assertThat(eventsource.getStatusCode().value()).isEqualTo(200);
        assertThat(eventsource.getBody()).containsEntry("store", "PostgresStore");
        assertThat(eventsource.getBody().get("projections").toString()).contains("name=order-table");
    }

    private ResponseEntity<Map> post(String path, Map<String, ?> body) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(Map.class);
    }

    /** The read model is eventually consistent: polls the summary until {@code done} holds (10 s at most). */
    private Map awaitSummary(String id, Predicate<Map> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            ResponseEntity<Map> r = http.get().uri("/orders/" + id).retrieve().toEntity(Map.class);
            if (r.getStatusCode().value() == 200 && done.test(r.getBody())) {
                return r.getBody();
            }
            assertThat(System.nanoTime()).as("summary of %s after 10 s: %s", id, r).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}

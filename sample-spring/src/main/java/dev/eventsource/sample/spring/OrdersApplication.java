package dev.eventsource.sample.spring;

import dev.eventsource.sample.readmodel.OrderTable;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The orders service: the sample's domain behind an HTTP API, on eventsource-spring-boot-starter.
 * The starter makes the {@code Engine} on the application's PostgreSQL {@code DataSource}, registers
 * the domain's aggregates and the {@link OrderTable} projection bean, starts it with the context and
 * closes it on shutdown; this class only declares the read model.
 *
 * <pre>
 * java -jar sample-spring/target/eventsource-sample-spring.jar \
 *     --spring.datasource.url='jdbc:postgresql://127.0.0.1:5432/test?user=postgres'
 * </pre>
 */
@SpringBootApplication
public class OrdersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }

    /**
     * The SQL read model ({@code <schema>.order_view}, next to the store's tables), kept exactly once
     * by a transactional projection: it serves every instance of the service and survives restarts.
     * Registered by the starter as the projection {@code order-table} (options under
     * {@code eventsource.projections.order-table.*}).
     */
    @Bean
    OrderTable orderTable(DataSource dataSource, @Value("${eventsource.postgres.schema}") String schema) throws SQLException {
        OrderTable table = new OrderTable(schema);
        table.createTable(dataSource);
        return table;
    }
}

package dev.eventsource.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

/**
 * The configuration metadata {@code spring-boot-configuration-processor} generated, read the way an
 * IDE reads it: every {@code eventsource.*} property has a description (its field's Javadoc) that
 * says its default when the metadata cannot.
 */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyHasADescriptionThatSaysItsDefault() throws Exception {
        Map<String, ConfigurationMetadataProperty> properties;
        try (InputStream json = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(json).as("META-INF/spring-configuration-metadata.json").isNotNull();
            properties = ConfigurationMetadataRepositoryJsonBuilder.create(json).build().getAllProperties();
        }

        assertThat(properties).containsKeys("eventsource.store", "eventsource.instance-id", "eventsource.lease-timeout",
                "eventsource.snapshot-every", "eventsource.max-retries", "eventsource.aggregate-cache-size",
                "eventsource.close-timeout", "eventsource.postgres.schema", "eventsource.postgres.table-prefix",
                "eventsource.projections", "eventsource.projection-defaults.partitions", "eventsource.health.max-lag",
                "eventsource.metrics.enabled", "eventsource.metrics.status-interval", "eventsource.tracing.enabled");
        assertThat(properties.values()).filteredOn(p -> p.getId().startsWith("eventsource."))
                .allSatisfy(p -> assertThat(p.getDescription()).as(p.getId()).isNotBlank());
        // The starter's own settings carry their default; the engine's and the store's are left unset (so the
        // library's builder keeps the one default), and their description names it instead.
        assertThat(properties.get("eventsource.register-projections").getDefaultValue()).isEqualTo(true);
        assertThat(properties.get("eventsource.metrics.enabled").getDefaultValue()).isEqualTo(true);
        assertThat(properties.get("eventsource.tracing.enabled").getDefaultValue()).isEqualTo(true);
        assertThat(properties.get("eventsource.max-retries").getDescription()).endsWith("(default 3).");
        assertThat(properties.values()).filteredOn(p -> p.getId().startsWith("eventsource.") && p.getDefaultValue() == null)
                .filteredOn(p -> !p.getId().equals("eventsource.projections") && !p.getId().equals("eventsource.health.max-lag"))
                .allSatisfy(p -> assertThat(p.getDescription()).as(p.getId()).contains("default"));
    }
}

/**
 * The testing kit ({@code dev.eventsource.testing}): given/when/then fixtures for aggregates and
 * projections, and the store conformance suites, an ordinary JUnit Jupiter test kit; a module that
 * uses it {@code requires dev.eventsource.testing}.
 */
module dev.eventsource.testing {
    requires transitive dev.eventsource;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires transitive java.sql;   // ProjectionFixture.inTransactions(DataSource)

    exports dev.eventsource.testing;
    // JUnit calls the suites' package-private @Nested classes and lifecycle methods reflectively.
    opens dev.eventsource.testing to org.junit.platform.commons;
}

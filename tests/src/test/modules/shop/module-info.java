/** A user's application as a named module: what NamedModuleTest compiles and runs. */
module shop {
    requires dev.eventsource;
    requires dev.eventsource.store.postgres;
    // The driver is an automatic module: its own needs (javax.naming for its DataSource) are the
    // application's to declare.
    requires org.postgresql.jdbc;
    requires java.naming;

    // In a named module ServiceLoader reads only these directives; the processor checks them.
    provides dev.eventsource.spi.AggregateDescriptor with shop.Cart_Aggregate;
    provides dev.eventsource.spi.ProjectionDescriptor with shop.ItemCount_Projection;
}

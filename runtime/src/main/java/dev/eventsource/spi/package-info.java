/**
 * What generated code implements: {@link dev.eventsource.spi.AggregateDescriptor},
 * {@link dev.eventsource.spi.ProjectionDescriptor}, {@link dev.eventsource.spi.EventCodec} and
 * {@link dev.eventsource.spi.SnapshotCodec}. Descriptors are registered in
 * {@code META-INF/services/dev.eventsource.spi.AggregateDescriptor} and
 * {@code META-INF/services/dev.eventsource.spi.ProjectionDescriptor}, one file of each per
 * compilation, written by the annotation processor; the runtime reads them with
 * {@link java.util.ServiceLoader} and never scans the classpath.
 */
package dev.eventsource.spi;

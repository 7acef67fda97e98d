/**
 * What users write on their classes: {@link dev.eventsource.annotations.Aggregate},
 * {@link dev.eventsource.annotations.Apply}, {@link dev.eventsource.annotations.Projection} and
 * {@link dev.eventsource.annotations.EventType}. Read at compile time only.
 */
package dev.eventsource.annotations;

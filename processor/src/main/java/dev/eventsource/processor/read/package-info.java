/**
 * Source elements to model: the readers check every rule and report violations through the one
 * {@link dev.eventsource.processor.read.Reporter}, with messages from
 * {@link dev.eventsource.processor.read.Message}.
 */
package dev.eventsource.processor.read;

package org.opentrail.internal.source;

/**
 * Turns one webhook body, in the format the service posts, into events. Implementations are pure
 * (no I/O) and thread-safe: the webhook calls one from many request threads.
 */
public interface WebhookTranslator {
  /**
   * The events in a body.
   *
   * @param body the request body, decompressed, at most the instance's {@code max.body.bytes}
   * @throws PayloadException if the body is not what the service sends; the sender is answered 400
   *     with the message, and the refused post is recorded in the history
   */
  Translation translate(byte[] body) throws PayloadException;
}

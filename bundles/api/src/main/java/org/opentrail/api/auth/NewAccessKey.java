package org.opentrail.api.auth;

/**
 * A just-created access key and its secret: the only time the secret is available in plain text.
 */
public record NewAccessKey(AccessKey key, String secret) {
  @Override
  public String toString() {
    return "NewAccessKey[" + key + ", secret=***]";
  }
}

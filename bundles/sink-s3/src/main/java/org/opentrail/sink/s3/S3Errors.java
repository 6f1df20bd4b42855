package org.opentrail.sink.s3;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Turns what the AWS SDK throws into an {@link IOException} whose message tells an operator what is
 * wrong in their words: the bucket that does not exist, the access key id that was refused and why,
 * the endpoint that cannot be reached. Messages name the access key id (not a secret), never the
 * secret access key or session token.
 */
final class S3Errors {
  private S3Errors() {}

  /**
   * What went wrong in {@code action} (e.g. "PutObject AliyunLogs/..."), as an IOException with the
   * SDK's exception as its cause.
   */
  static IOException describe(Throwable e, S3Settings s, String action) {
    String where = s.where();
    if (e instanceof AwsServiceException ase) {
      String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
      int status = ase.statusCode();
      if (e instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
        return new IOException(
            "NoSuchBucket: the bucket '"
                + s.bucket()
                + "' does not exist at "
                + server(s)
                + "; create it or correct the destination's bucket ("
                + action
                + ")",
            e);
      }
      if ("InvalidAccessKeyId".equals(code)) {
        return new IOException(
            "InvalidAccessKeyId: "
                + server(s)
                + " does not know the access key id '"
                + s.accessKeyId()
                + "' ("
                + action
                + " on "
                + where
                + ")",
            e);
      }
      if ("SignatureDoesNotMatch".equals(code)) {
        return new IOException(
            "SignatureDoesNotMatch: "
                + server(s)
                + " refused the secret access key given for access key id '"
                + s.accessKeyId()
                + "' (or the region '"
                + s.region()
                + "'); correct secretAccessKey ("
                + action
                + " on "
                + where
                + ")",
            e);
      }
      if ("AccessDenied".equals(code) || status == 403) {
        return new IOException(
            (code == null ? "AccessDenied" : code)
                + ": access key id '"
                + s.accessKeyId()
                + "' may not "
                + action
                + " in "
                + where
                + " (HTTP 403); grant it s3:PutObject (and s3:ListBucket, s3:GetObject for"
                + " store:repair) on the bucket",
            e);
      }
      if (status == 404 && action.startsWith("check")) {
        return new IOException(
            "NoSuchBucket: the bucket '" + s.bucket() + "' does not exist at " + server(s), e);
      }
      return new IOException(
          (code == null ? "HTTP " + status : code + " (HTTP " + status + ")")
              + " from "
              + server(s)
              + " for "
              + action
              + " on "
              + where
              + ": "
              + (ase.awsErrorDetails() == null
                  ? ase.getMessage()
                  : ase.awsErrorDetails().errorMessage()),
          e);
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException
          || c instanceof UnknownHostException
          || c instanceof NoRouteToHostException
          || c instanceof SocketTimeoutException) {
        return new IOException(
            "Unreachable: cannot reach the endpoint "
                + server(s)
                + " ("
                + c.getClass().getSimpleName()
                + ": "
                + c.getMessage()
                + ") for "
                + action
                + " on "
                + where,
            e);
      }
    }
    if (e instanceof ApiCallTimeoutException) {
      return new IOException(
          "Timeout: " + server(s) + " did not answer " + action + " on " + where + " in time", e);
    }
    if (e instanceof SdkClientException) {
      return new IOException(
          "Unreachable: " + action + " on " + where + " failed: " + e.getMessage(), e);
    }
    if (e instanceof IOException io) {
      return io;
    }
    return new IOException(action + " on " + where + " failed: " + e, e);
  }

  private static String server(S3Settings s) {
    return s.endpoint() == null ? "AWS S3 (" + s.hostPort() + ")" : s.endpoint();
  }
}

package org.opentrail.sink.s3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.internal.osslayout.OssLayout;
import org.opentrail.internal.osslayout.OssNames;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An open s3 destination: writes each batch as gzip JSON objects in ActionTrail's OSS layout
 * ({@link OssLayout}, the same names and bytes the file sink writes) under {@code
 * <bucket>/<prefix>/AliyunLogs/Actiontrail/<region>/<YYYY>/<MM>/<DD>/}, one PutObject each, in
 * parallel. A key is derived from the batch's events only, so a redelivered batch overwrites its
 * own objects with identical bytes (a PUT replaces the whole object atomically: a reader never sees
 * half an object). Every PUT carries Content-MD5, so the server rejects a damaged upload. Digest
 * files go under the same prefix ({@code AliyunLogs/Actiontrail-Digest/...}).
 */
final class S3Sink implements ProvableSink, ReadableSink {
  private static final String GZIP_TYPE = "application/gzip";
  private static final String JSON_TYPE = "application/json";

  private final S3Client client;
  private final S3Settings settings;
  private final OssLayout layout;
  private final IntSupplier gzipLevel;
  private final ExecutorService uploads;

  /**
   * @param client the destination's client (closed with the sink)
   * @param uploads runs uploads, shared by the provider's sinks
   */
  S3Sink(
      S3Client client,
      S3Settings settings,
      OssLayout layout,
      IntSupplier gzipLevel,
      ExecutorService uploads) {
    this.client = client;
    this.settings = settings;
    this.layout = layout;
    this.gzipLevel = gzipLevel;
    this.uploads = uploads;
  }

  /**
   * Uploads the batch's objects and answers them in layout order, named relative to the
   * destination's root (bucket and prefix), each with the SHA-256 and size of its bytes as stored.
   *
   * @throws IOException naming what failed (see {@link S3Errors}); objects uploaded before stay and
   *     are overwritten with the same bytes when the batch comes again
   */
  @Override
  public List<DeliveredObject> deliverObjects(DeliveryBatch batch) throws IOException {
    List<OssLayout.Part> parts = layout.parts(batch.events());
    int level = gzipLevel.getAsInt();
    List<Future<DeliveredObject>> pending = new ArrayList<>(parts.size());
    for (OssLayout.Part part : parts) {
      pending.add(uploads.submit(() -> upload(OssLayout.encode(part, level))));
    }
    List<DeliveredObject> written = new ArrayList<>(parts.size());
    IOException failed = null;
    for (Future<DeliveredObject> f : pending) { // wait for all, so none is still running after
      try {
        written.add(f.get());
      } catch (ExecutionException e) {
        if (failed == null) {
          failed = S3Errors.describe(e.getCause(), settings, "PutObject");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while uploading to " + settings.where(), e);
      }
    }
    if (failed != null) {
      throw failed;
    }
    return written;
  }

  private DeliveredObject upload(OssLayout.OssObject object) {
    String key = settings.keyPrefix() + object.described().name();
    client.putObject(put(key, object.gzip(), GZIP_TYPE), RequestBody.fromBytes(object.gzip()));
    return object.described();
  }

  private PutObjectRequest put(String key, byte[] content, String type) {
    PutObjectRequest.Builder b =
        PutObjectRequest.builder()
            .bucket(settings.bucket())
            .key(key)
            .contentType(type)
            .contentLength((long) content.length)
            .contentMD5(Base64.getEncoder().encodeToString(md5(content)));
    if (!settings.serverSideEncryption().isEmpty()) {
      b.serverSideEncryption(settings.serverSideEncryption());
      if (!settings.kmsKeyId().isEmpty()) {
        b.ssekmsKeyId(settings.kmsKeyId());
      }
    }
    return b.build();
  }

  private static byte[] md5(byte[] content) {
    try {
      return java.security.MessageDigest.getInstance("MD5").digest(content);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a digest file as the object {@code <prefix>/<path>}, replacing one of that name.
   *
   * @throws IllegalArgumentException if {@code path} is not a plain relative path
   * @throws IOException naming what failed
   */
  @Override
  public void writeDigest(String path, byte[] content) throws IOException {
    String key = settings.keyPrefix() + OssNames.checkRelativePath(path);
    try {
      client.putObject(put(key, content, JSON_TYPE), RequestBody.fromBytes(content));
    } catch (RuntimeException e) {
      throw S3Errors.describe(e, settings, "PutObject " + key);
    }
  }

  /**
   * Reads every delivered object of this destination back ({@code store:repair}): each {@code .gz}
   * under {@code <prefix>/AliyunLogs/Actiontrail/}, a gzip JSON array of events, is one batch. An
   * object that cannot be read is skipped, and named in the error thrown at the end.
   *
   * @throws IOException if the bucket cannot be listed, or an object could not be read
   */
  @Override
  public void readBack(Consumer<List<Event>> batches) throws IOException {
    String logs = settings.keyPrefix() + OssLayout.LOGS + "/";
    List<String> keys = new ArrayList<>();
    try {
      ListObjectsV2Request list =
          ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(logs).build();
      for (S3Object o : client.listObjectsV2Paginator(list).contents()) {
        if (o.key().endsWith(".gz")) {
          keys.add(o.key());
        }
      }
    } catch (RuntimeException e) {
      throw S3Errors.describe(e, settings, "ListObjectsV2 " + logs);
    }
    IOException failed = null;
    for (String key : keys) {
      try {
        ResponseBytes<GetObjectResponse> bytes =
            client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key));
        batches.accept(OssLayout.read(bytes.asByteArray()));
      } catch (IOException | RuntimeException e) {
        failed =
            new IOException(
                "cannot read delivered object "
                    + key
                    + " in "
                    + settings.where()
                    + ": "
                    + S3Errors.describe(e, settings, "GetObject").getMessage(),
                e);
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  @Override
  public void close() {
    client.close();
  }
}

package org.opentrail.source.minio;

import java.util.List;
import org.opentrail.api.source.EventSource;
import org.opentrail.api.source.SourceInfo;
import org.osgi.service.component.annotations.Component;

/**
 * Makes MinIO a supported service ({@code source:list}, {@code ListSupportedServices}) as long as
 * this bundle runs: MinIO's audit webhook, received per configured sender ({@link MinioWebhook}) at
 * {@code /sources/minio/<instance>}, recorded as service {@value MinioEvents#SERVICE} on {@code
 * ACS::OSS::Bucket} and {@code ACS::OSS::Object}; lifecycle, replication, healing, scanner and
 * decommission operations go to the inner trail.
 */
@Component(immediate = true)
public final class MinioSource implements EventSource {
  /** The source's name, its path segment and the first part of its senders' names. */
  public static final String NAME = "minio";

  private static final SourceInfo INFO =
      new SourceInfo(
          NAME,
          MinioEvents.SERVICE,
          "MinIO object storage (audit webhook)",
          List.of(MinioEvents.BUCKET, MinioEvents.OBJECT),
          ApiNames.names(),
          true,
          null);

  @Override
  public SourceInfo info() {
    return INFO;
  }
}

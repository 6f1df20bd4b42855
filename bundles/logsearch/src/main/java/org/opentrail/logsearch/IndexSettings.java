package org.opentrail.logsearch;

import java.io.IOException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logstore's index configuration as its owner sees and changes it: read per account's logstore,
 * checked as the stored JSON would be read back ({@link IndexConfigs#parse}), saved, and the
 * logstore re-indexed with it. The history's configuration is fixed: every account shares it.
 */
final class IndexSettings {
  // logs as LogSearchService, whose job this was: the same logger name in the log as before
  private static final Logger LOG = LoggerFactory.getLogger(LogSearchService.class);

  private final SearchScope scope;
  private final IndexConfigs configs;
  private final Indexer indexer;

  IndexSettings(SearchScope scope, IndexConfigs configs, Indexer indexer) {
    this.scope = scope;
    this.configs = configs;
    this.indexer = indexer;
  }

  /** The configuration of an account's logstore, as {@link SearchScope#stream} resolves it. */
  IndexConfig get(String accountId, String logstore) {
    return configs.get(scope.stream(accountId, logstore));
  }

  /**
   * Sets the configuration of an account's logstore and re-indexes it.
   *
   * @return the configuration as checked and saved
   * @throws OpenTrailException {@code Unauthorized} (403) for the history, {@code InvalidParameter}
   *     for a configuration {@link IndexConfigs#parse} refuses, {@code InternalError} (500) when it
   *     cannot be saved
   */
  IndexConfig set(String accountId, String logstore, IndexConfig config) {
    String stream = scope.stream(accountId, logstore);
    if (EventStore.HISTORY.equals(stream)) {
      throw new OpenTrailException(
          "Unauthorized",
          "The index configuration of the history is fixed; it is shared by every account.",
          403);
    }
    IndexConfig checked =
        IndexConfigs.parse(EventJson.read(EventJson.write(IndexConfigs.toJson(config))));
    try {
      configs.set(stream, checked);
    } catch (IOException e) {
      throw new OpenTrailException(
          "InternalError", "The index configuration could not be saved: " + e.getMessage(), 500, e);
    }
    indexer.reindex(stream);
    LOG.info(
        "Account {} changed the index configuration of logstore {}; re-indexing it",
        accountId,
        logstore);
    return checked;
  }
}

package org.opentrail.logsearch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;
import org.opentrail.api.event.Event;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.IndexConfig.FieldType;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.internal.durable.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index of one stream, sorted newest first. Per event it holds the account (keyword),
 * sequence and eventTime millis (points and doc values), the configured fields ({@code f.<name>},
 * with their values in doc values {@code d.<name>} for SQL analysis) and the full text ({@code
 * _x}); nothing but the sequence is kept to answer with: events are read back from the store. Each
 * commit records in its user data the sequence it holds everything up to and the configuration and
 * document format it was built with, so a restart resumes there and a changed configuration
 * rebuilds it.
 */
final class StreamIndex implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamIndex.class);
  static final String ACCOUNT = "_a";
  static final String SEQUENCE = "_s";
  static final String TIME = "_t";
  static final String TEXT = "_x";
  static final String FIELD_PREFIX = "f.";

  /** Prefix of a configured field's doc values ({@code d.<name>}), read by SQL analysis. */
  static final String VALUES_PREFIX = "d.";

  /**
   * Longest text or keyword value kept in doc values, in UTF-8 bytes (Lucene allows 32766): longer
   * ones are cut at a character boundary, so SQL sees their first 8 KiB.
   */
  static final int MAX_VALUE_BYTES = 8192;

  /**
   * The layout of the documents; an index committed with another one is rebuilt from the store. 2:
   * doc values for every configured field.
   */
  static final String FORMAT = "2";

  private static final String COMMIT_FORMAT = "format";
  private static final String COMMIT_SEQUENCE = "sequence";
  private static final String COMMIT_CONFIG = "config";

  static final Sort NEWEST_FIRST =
      new Sort(
          new SortField(TIME, SortField.Type.LONG, true),
          new SortField(SEQUENCE, SortField.Type.LONG, true));
  static final Sort OLDEST_FIRST =
      new Sort(
          new SortField(TIME, SortField.Type.LONG), new SortField(SEQUENCE, SortField.Type.LONG));

  /** Lower-cases and splits words as Log Service's default delimiters roughly do; no stop words. */
  static Analyzer analyzer() {
    return new StandardAnalyzer(CharArraySet.EMPTY_SET);
  }

  final String stream;
  final IndexConfig config;
  private final Path dir;
  private final Directory directory;
  private final IndexWriter writer;
  final SearcherManager searchers;
  private volatile long indexed;
  private volatile long visible;
  private boolean uncommitted;

  private StreamIndex(String stream, IndexConfig config, Path dir, Directory d, IndexWriter w)
      throws IOException {
    this.stream = stream;
    this.config = config;
    this.dir = dir;
    this.directory = d;
    this.writer = w;
    this.searchers = new SearcherManager(w, null);
    long seq = 0;
    String built = null;
    String format = null;
    Iterable<Map.Entry<String, String>> data = w.getLiveCommitData();
    if (data != null) {
      for (Map.Entry<String, String> e : data) {
        if (COMMIT_SEQUENCE.equals(e.getKey())) {
          seq = Long.parseLong(e.getValue());
        } else if (COMMIT_CONFIG.equals(e.getKey())) {
          built = e.getValue();
        } else if (COMMIT_FORMAT.equals(e.getKey())) {
          format = e.getValue();
        }
      }
    }
    if (seq > 0 && (!key(config).equals(built) || !FORMAT.equals(format))) {
      LOG.info("Logstore index {}: its configuration or format changed, re-indexing", stream);
      w.deleteAll();
      seq = 0;
    }
    this.indexed = seq;
    this.visible = seq;
  }

  /**
   * Opens the stream's index in {@code dir}; a damaged one is deleted and started again (it is
   * rebuilt from the store).
   */
  static StreamIndex open(String stream, IndexConfig config, Path dir) throws IOException {
    try {
      return tryOpen(stream, config, dir);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Logstore index {} cannot be opened ({}); rebuilding it from the store",
          stream,
          e.toString());
      wipe(dir);
      return tryOpen(stream, config, dir);
    }
  }

  private static StreamIndex tryOpen(String stream, IndexConfig config, Path dir)
      throws IOException {
    DurableFiles.createPrivateDirectories(dir);
    Directory d = new MMapDirectory(dir);
    IndexWriterConfig c = new IndexWriterConfig(analyzer());
    c.setIndexSort(NEWEST_FIRST);
    c.setCommitOnClose(false);
    c.setRAMBufferSizeMB(32);
    c.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    try {
      return new StreamIndex(stream, config, dir, d, new IndexWriter(d, c));
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  static void wipe(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The configuration as committed: changing it means rebuilding. */
  static String key(IndexConfig config) {
    return org.opentrail.api.event.EventJson.toString(IndexConfigs.toJson(config));
  }

  /** The newest sequence added (visible after {@link #refresh}). */
  long indexed() {
    return indexed;
  }

  /** The newest sequence searches see. */
  long visible() {
    return visible;
  }

  /** Adds events (in sequence order, all above {@link #indexed}). */
  void add(List<StoredEvent> events) throws IOException {
    for (StoredEvent e : events) {
      writer.addDocument(document(e));
      indexed = e.sequence();
    }
    uncommitted = true;
  }

  /** Marks sequences up to {@code sequence} as indexed when the store has nothing to add there. */
  void skipTo(long sequence) {
    if (sequence > indexed) {
      indexed = sequence;
      uncommitted = true;
    }
  }

  private Document document(StoredEvent e) {
    Document d = new Document();
    Event ev = e.event();
    String account = ev.recipientAccountId();
    d.add(new StringField(ACCOUNT, account == null ? "" : account, Field.Store.NO));
    d.add(new LongPoint(SEQUENCE, e.sequence()));
    d.add(new NumericDocValuesField(SEQUENCE, e.sequence()));
    d.add(new LongPoint(TIME, e.timeMillis()));
    d.add(new NumericDocValuesField(TIME, e.timeMillis()));
    for (Map.Entry<String, FieldType> f : config.fields().entrySet()) {
      String name = FIELD_PREFIX + f.getKey();
      String values = VALUES_PREFIX + f.getKey();
      for (Object v : LogFields.values(stream, ev, f.getKey())) {
        switch (f.getValue()) {
          case KEYWORD, TEXT -> {
            String text = String.valueOf(v);
            d.add(
                f.getValue() == FieldType.KEYWORD
                    ? new StringField(name, keyword(v), Field.Store.NO)
                    : new TextField(name, text, Field.Store.NO));
            d.add(new SortedSetDocValuesField(values, docValue(text)));
          }
          case LONG -> {
            try {
              long n =
                  v instanceof Number x ? x.longValue() : Long.parseLong(String.valueOf(v).strip());
              d.add(new LongPoint(name, n));
              d.add(new SortedNumericDocValuesField(values, n));
            } catch (NumberFormatException notALong) {
              // Log Service leaves a value that is not of the field's type unindexed
            }
          }
          case DOUBLE -> {
            try {
              double n = Double.parseDouble(String.valueOf(v).strip());
              d.add(new DoublePoint(name, n));
              d.add(new SortedNumericDocValuesField(values, NumericUtils.doubleToSortableLong(n)));
            } catch (NumberFormatException notADouble) {
              // likewise
            }
          }
        }
      }
    }
    if (config.fullText()) {
      d.add(
          new TextField(
              TEXT,
              new String(ev.toJson(), java.nio.charset.StandardCharsets.UTF_8),
              Field.Store.NO));
    }
    return d;
  }

  /** A value as kept in doc values: its UTF-8, cut to {@link #MAX_VALUE_BYTES}. */
  static BytesRef docValue(String text) {
    BytesRef b = new BytesRef(text);
    if (b.length <= MAX_VALUE_BYTES) {
      return b;
    }
    int end = MAX_VALUE_BYTES;
    while (end > 0 && (b.bytes[b.offset + end] & 0xC0) == 0x80) {
      end--; // not inside a multi-byte character
    }
    return new BytesRef(b.bytes, b.offset, end);
  }

  /** A keyword's term: the whole value, lower-cased (Log Service searches are case-insensitive). */
  static String keyword(Object v) {
    return String.valueOf(v).toLowerCase(Locale.ROOT);
  }

  /** Deletes the documents of events below {@code sequence} (purged from the store). */
  void deleteBelow(long sequence) throws IOException {
    if (sequence > 1) {
      writer.deleteDocuments(LongPoint.newRangeQuery(SEQUENCE, 0, sequence - 1));
      uncommitted = true;
    }
  }

  /** Makes what was added visible to searches. */
  void refresh() throws IOException {
    long at = indexed;
    searchers.maybeRefreshBlocking();
    visible = at;
  }

  /** Commits (durably) with the sequence and configuration, if anything changed. */
  void commit() throws IOException {
    if (!uncommitted) {
      return;
    }
    long at = indexed;
    writer.setLiveCommitData(
        Map.of(
                COMMIT_SEQUENCE,
                Long.toString(at),
                COMMIT_CONFIG,
                key(config),
                COMMIT_FORMAT,
                FORMAT)
            .entrySet());
    writer.commit();
    uncommitted = false;
  }

  IndexSearcher acquire() throws IOException {
    return searchers.acquire();
  }

  void release(IndexSearcher s) throws IOException {
    searchers.release(s);
  }

  /** Commits what was added and closes. */
  @Override
  public void close() throws IOException {
    try {
      commit();
      searchers.close();
      writer.close();
    } finally {
      directory.close();
    }
  }

  /** Closes and deletes the index files. */
  void delete() throws IOException {
    try {
      searchers.close();
      writer.rollback();
    } finally {
      directory.close();
    }
    wipe(dir);
  }
}

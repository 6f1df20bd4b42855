package org.opentrail.store.index;

import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.opentrail.api.event.LookupKey;

/**
 * How events are indexed: one keyword field per {@link LookupKey} whose terms are {@code
 * account:value} (so every lookup is scoped to one account by its terms alone), an account field
 * for time-only lookups, and two doc values, eventTime and sequence, by which each partition is
 * sorted newest first.
 */
final class IndexFields {
  static final String ACCOUNT = "account";
  static final String TIME = "t";
  static final String SEQUENCE = "s";
  static final String COMMIT_SEQUENCE = "sequence";

  static final FieldType KEYWORD = new FieldType();

  static {
    KEYWORD.setIndexOptions(IndexOptions.DOCS);
    KEYWORD.setOmitNorms(true);
    KEYWORD.setTokenized(false);
    KEYWORD.setStored(false);
    KEYWORD.freeze();
  }

  /** Newest first: the order partitions are stored in. */
  static final Sort NEWEST_FIRST =
      new Sort(
          new SortField(TIME, SortField.Type.LONG, true),
          new SortField(SEQUENCE, SortField.Type.LONG, true));

  static final Sort OLDEST_FIRST =
      new Sort(
          new SortField(TIME, SortField.Type.LONG, false),
          new SortField(SEQUENCE, SortField.Type.LONG, false));

  private static final String[] FIELDS = new String[LookupKey.values().length];

  static {
    for (LookupKey k : LookupKey.values()) {
      FIELDS[k.ordinal()] = k.actionTrailName();
    }
  }

  static String field(LookupKey key) {
    return FIELDS[key.ordinal()];
  }

  static String field(int keyOrdinal) {
    return FIELDS[keyOrdinal];
  }

  static String value(String account, String value) {
    return account + ':' + value;
  }

  static Term term(LookupKey key, String account, String value) {
    return new Term(field(key), value(account, value));
  }

  private IndexFields() {}
}

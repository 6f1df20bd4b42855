package org.opentrail.store.index;

import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.codecs.bloom.BloomFilteringPostingsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene912.Lucene912PostingsFormat;
import org.opentrail.api.event.LookupKey;

/**
 * Lucene's default codec, with a Bloom filter in front of the eventId terms: de-duplication asks
 * "is this eventId stored?" for events that almost never are, and the filter answers no without
 * touching the terms dictionary. Segments written with it open with the default codec, which finds
 * the Bloom format by name.
 */
final class PartitionCodec extends Lucene912Codec {
  private final PostingsFormat bloom =
      new BloomFilteringPostingsFormat(new Lucene912PostingsFormat());
  private final String eventIdField = IndexFields.field(LookupKey.EVENT_ID);

  @Override
  public PostingsFormat getPostingsFormatForField(String field) {
    return eventIdField.equals(field) ? bloom : super.getPostingsFormatForField(field);
  }
}

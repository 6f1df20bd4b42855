package org.opentrail.logsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.store.EventStore;

/** An index committed before doc values (no format in its commit) is rebuilt from the store. */
class StreamIndexFormatTest {
  @TempDir Path dir;

  private void commit(IndexConfig config, Map<String, String> data) throws Exception {
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w =
            new IndexWriter(d, new IndexWriterConfig().setIndexSort(StreamIndex.NEWEST_FIRST))) {
      Document doc = new Document();
      doc.add(new StringField("_a", "1234567890123456", StringField.Store.NO));
      w.addDocument(doc);
      w.setLiveCommitData(data.entrySet());
      w.commit();
    }
  }

  private long reopened(IndexConfig config) throws Exception {
    try (StreamIndex i = StreamIndex.open(EventStore.HISTORY, config, dir)) {
      return i.indexed();
    }
  }

  @Test
  void anIndexOfTheOldFormatIsRebuiltAndOneOfThisFormatResumes() throws Exception {
    IndexConfig config = LogFields.defaults(EventStore.HISTORY);
    commit(config, Map.of("sequence", "42", "config", StreamIndex.key(config)));
    assertEquals(0, reopened(config));
    StreamIndexFormatTest again = new StreamIndexFormatTest();
    again.dir = dir.resolve("current");
    again.commit(
        config,
        Map.of("sequence", "42", "config", StreamIndex.key(config), "format", StreamIndex.FORMAT));
    assertEquals(42, again.reopened(config));
  }
}

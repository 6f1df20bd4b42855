package org.opentrail.store.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link BoundedCache} is filled by many lookup threads at once (Journal's record and frame-table
 * caches). Two threads evicting at the same time walk the same entries from the start of the map;
 * each subtracts the weight of an entry the other removed, so the byte count drifts below what the
 * map holds and the cache outgrows its bound.
 */
class BoundedCacheTest {
  @Test
  void concurrentPutsKeepTheCacheWithinItsBound() throws Exception {
    long capacity = 1L << 20; // 1,024 entries of 1 KB
    BoundedCache<Integer> cache = new BoundedCache<>(capacity, v -> 1024);
    int threads = 8;
    int perThread = Integer.getInteger("break.puts", 100_000);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong next = new AtomicLong();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  long k = next.incrementAndGet();
                  cache.put(k, 1);
                  if (i % 1000 == 0) {
                    cache.dropBefore(k - 5000); // retention purging meanwhile
                  }
                }
              });
      ts.add(th);
      th.start();
    }
    go.countDown();
    for (Thread th : ts) {
      th.join();
    }
    Field entries = BoundedCache.class.getDeclaredField("entries");
    entries.setAccessible(true);
    Field bytes = BoundedCache.class.getDeclaredField("bytes");
    bytes.setAccessible(true);
    long held = ((Map<?, ?>) entries.get(cache)).size() * 1024L;
    long counted = ((AtomicLong) bytes.get(cache)).get();
    assertTrue(
        held <= capacity && counted == held,
        "the cache holds " + held + " bytes (bound " + capacity + ") and counts " + counted);
  }
}

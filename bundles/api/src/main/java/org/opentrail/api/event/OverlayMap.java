package org.opentrail.api.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An unmodifiable map made of a base map and fields appended after it, without copying the base:
 * how {@link Event#withAll} adds fields (the recorder adds eventId, eventTime, account and region
 * to every event it records).
 */
final class OverlayMap extends AbstractMap<String, Object> {
  private final Map<String, Object> base;
  private final Map<String, Object> added;

  /** {@code added} must not share keys with {@code base}. */
  OverlayMap(Map<String, Object> base, Map<String, Object> added) {
    this.base = base;
    this.added = added;
  }

  @Override
  public Object get(Object key) {
    Object v = added.get(key);
    return v != null || added.containsKey(key) ? v : base.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return added.containsKey(key) || base.containsKey(key);
  }

  @Override
  public int size() {
    return base.size() + added.size();
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return OverlayMap.this.size();
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        Iterator<Entry<String, Object>> first = base.entrySet().iterator();
        Iterator<Entry<String, Object>> second = added.entrySet().iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return first.hasNext() || second.hasNext();
          }

          @Override
          public Entry<String, Object> next() {
            if (first.hasNext()) {
              return new SimpleImmutableEntry<>(first.next());
            }
            if (second.hasNext()) {
              return new SimpleImmutableEntry<>(second.next());
            }
            throw new NoSuchElementException();
          }
        };
      }
    };
  }
}

package org.opentrail.api.query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.store.EventStore;

/**
 * A LookupEvents request. Absent values take ActionTrail's defaults when the request is run: the
 * last 7 days, 20 results, {@link Direction#BACKWARD}. Any number of attributes may be given; an
 * event must match all of them. The string-taking builder methods parse ActionTrail's parameter
 * formats and name the parameter in their errors.
 */
public final class LookupRequest {
  /** Results per page when MaxResults is absent. */
  public static final int DEFAULT_MAX_RESULTS = 20;

  /** Most results per page. */
  public static final int MAX_MAX_RESULTS = 50;

  private final String accountId;
  private final String stream;
  private final Instant startTime;
  private final Instant endTime;
  private final List<LookupAttribute> attributes;
  private final Integer maxResults;
  private final Direction direction;
  private final String nextToken;

  private LookupRequest(Builder b) {
    this.accountId = b.accountId;
    this.stream = b.stream;
    this.startTime = b.startTime;
    this.endTime = b.endTime;
    this.attributes = List.copyOf(b.attributes);
    this.maxResults = b.maxResults;
    this.direction = b.direction;
    this.nextToken = b.nextToken;
  }

  public static Builder builder(String accountId) {
    return new Builder(accountId);
  }

  public String accountId() {
    return accountId;
  }

  /** The stream searched: {@link EventStore#HISTORY} or a logstore name. */
  public String stream() {
    return stream;
  }

  /** The start of the range, or {@code null} for the default. */
  public Instant startTime() {
    return startTime;
  }

  /** The end of the range, or {@code null} for the default. */
  public Instant endTime() {
    return endTime;
  }

  public List<LookupAttribute> attributes() {
    return attributes;
  }

  /** MaxResults as given, or {@code null} for the default. */
  public Integer maxResults() {
    return maxResults;
  }

  public Direction direction() {
    return direction;
  }

  /** The NextToken of a previous page, or {@code null} for the first page. */
  public String nextToken() {
    return nextToken;
  }

  /** Builds a {@link LookupRequest}. */
  public static final class Builder {
    private final String accountId;
    private String stream = EventStore.HISTORY;
    private Instant startTime;
    private Instant endTime;
    private final List<LookupAttribute> attributes = new ArrayList<>();
    private Integer maxResults;
    private Direction direction = Direction.BACKWARD;
    private String nextToken;

    private Builder(String accountId) {
      this.accountId = Objects.requireNonNull(accountId, "accountId");
    }

    public Builder stream(String stream) {
      this.stream = Objects.requireNonNull(stream, "stream");
      return this;
    }

    public Builder startTime(Instant startTime) {
      this.startTime = startTime;
      return this;
    }

    public Builder endTime(Instant endTime) {
      this.endTime = endTime;
      return this;
    }

    /** Parses {@code StartTime}: ISO-8601 in UTC, e.g. {@code 2020-10-08T11:00:00Z}. */
    public Builder startTime(String iso) {
      this.startTime = parseTime("StartTime", iso);
      return this;
    }

    /** Parses {@code EndTime}: ISO-8601 in UTC, e.g. {@code 2020-10-15T11:00:00Z}. */
    public Builder endTime(String iso) {
      this.endTime = parseTime("EndTime", iso);
      return this;
    }

    public Builder attribute(LookupKey key, String value) {
      attributes.add(new LookupAttribute(key, value));
      return this;
    }

    /**
     * Adds {@code LookupAttribute.N}: {@code key} is ActionTrail's key name.
     *
     * @param n the 1-based position, used to name the parameter in errors
     */
    public Builder attribute(int n, String key, String value) {
      if (key == null || key.isEmpty()) {
        throw InvalidParameterException.missing("LookupAttribute." + n + ".Key");
      }
      LookupKey k = LookupKey.fromActionTrailName(key, "LookupAttribute." + n + ".Key");
      if (value == null || value.isEmpty()) {
        throw InvalidParameterException.missing("LookupAttribute." + n + ".Value");
      }
      attributes.add(new LookupAttribute(k, value));
      return this;
    }

    public Builder maxResults(Integer maxResults) {
      this.maxResults = maxResults;
      return this;
    }

    /** Parses {@code MaxResults}. */
    public Builder maxResults(String value) {
      try {
        this.maxResults = Integer.valueOf(value.strip());
      } catch (NumberFormatException e) {
        throw new InvalidParameterException(
            "MaxResults",
            "The parameter MaxResults must be a whole number from 1 to 50, not '" + value + "'.");
      }
      return this;
    }

    public Builder direction(Direction direction) {
      this.direction = Objects.requireNonNull(direction, "direction");
      return this;
    }

    /** Parses {@code Direction}. */
    public Builder direction(String direction) {
      this.direction = Direction.parse(direction);
      return this;
    }

    public Builder nextToken(String nextToken) {
      this.nextToken = nextToken == null || nextToken.isEmpty() ? null : nextToken;
      return this;
    }

    public LookupRequest build() {
      return new LookupRequest(this);
    }
  }

  /** Parses an ISO-8601 instant with a zone or offset; errors name {@code parameter}. */
  public static Instant parseTime(String parameter, String iso) {
    if (iso == null || iso.isBlank()) {
      throw InvalidParameterException.missing(parameter);
    }
    try {
      return OffsetDateTime.parse(iso.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidParameterException(
          parameter,
          "The parameter "
              + parameter
              + " must be an ISO-8601 time in UTC such as 2020-10-08T11:00:00Z, not '"
              + iso
              + "'.");
    }
  }
}

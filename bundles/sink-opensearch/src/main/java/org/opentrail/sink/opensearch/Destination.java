package org.opentrail.sink.opensearch;

import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.opentrail.api.InvalidParameterException;

/**
 * A destination's settings, from its configuration and the operator's defaults.
 *
 * @param endpoint the server
 * @param index the index (or, with {@code suffix}, the base of the dated indices {@code
 *     <index>-<date>})
 * @param suffix the date suffix formatter (UTC, from eventTime), or {@code null}
 * @param username basic authentication user, or {@code null}
 * @param password its password, or {@code null}
 * @param apiKey the API key, or {@code null}
 */
record Destination(
    Endpoint endpoint,
    String index,
    DateTimeFormatter suffix,
    String username,
    String password,
    String apiKey) {
  static final String ENDPOINT = "endpoint";
  static final String INDEX = "index";
  static final String DATE_SUFFIX = "dateSuffix";
  static final String USERNAME = "username";
  static final String PASSWORD = "password";
  static final String API_KEY = "apiKey";
  static final Set<String> KEYS = Set.of(ENDPOINT, INDEX, DATE_SUFFIX, USERNAME, PASSWORD, API_KEY);
  static final Set<String> SECRETS = Set.of(PASSWORD, API_KEY);

  /** Never shows a secret. */
  @Override
  public String toString() {
    return endpoint + "/" + index + (suffix != null ? "-<date>" : "");
  }

  /** The index pattern a reader and the index template cover: the index, or its dated indices. */
  String pattern() {
    return suffix == null ? index : index + "-*";
  }

  /**
   * Reads and checks a destination's configuration.
   *
   * @param config the destination's keys
   * @param trail the trail (for the default index), or {@code null} when unknown (validation)
   * @param server the operator's defaults
   * @throws InvalidParameterException naming the key, saying what is expected
   */
  static Destination of(Map<String, String> config, String trail, Server server) {
    for (String k : config.keySet()) {
      if (!KEYS.contains(k)) {
        throw new InvalidParameterException(
            k,
            "The opensearch sink has no configuration key '"
                + k
                + "'; its keys are endpoint, index, dateSuffix, username, password and apiKey.");
      }
    }
    String url = config.get(ENDPOINT);
    Endpoint endpoint;
    try {
      endpoint = url == null ? server.endpoint() : Endpoint.parse(url);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException(ENDPOINT, "The endpoint " + e.getMessage() + ".");
    }
    if (!server.allows(endpoint)) {
      throw new InvalidParameterException(
          ENDPOINT,
          "The endpoint "
              + endpoint.authority()
              + " is not one this OpenTrail may deliver to: the operator allows the default "
              + server.endpoint().authority()
              + " and those in allowed.endpoints of "
              + OpenSearchSinkConfig.PID
              + ".");
    }
    DateTimeFormatter suffix = null;
    String pattern = config.get(DATE_SUFFIX);
    if (pattern != null && !pattern.isEmpty()) {
      try {
        suffix = IndexNames.suffix(pattern);
      } catch (IllegalArgumentException e) {
        throw new InvalidParameterException(DATE_SUFFIX, "The dateSuffix " + e.getMessage() + ".");
      }
    }
    String index = config.get(INDEX);
    if (index != null || trail != null) {
      String name = index != null ? index : IndexNames.defaultIndex(trail);
      String sample = IndexNames.index(name, suffix, 0);
      String problem = IndexNames.problem(sample);
      if (problem != null) {
        throw new InvalidParameterException(
            INDEX,
            "The index name "
                + problem
                + " (OpenSearch index names are lower case, at most 255 bytes, without \\ / * ? \""
                + " < > | , # : or spaces, and do not start with _, - or +).");
      }
      index = name;
    }
    String user = blankToNull(config.get(USERNAME));
    String password = blankToNull(config.get(PASSWORD));
    String apiKey = blankToNull(config.get(API_KEY));
    if (apiKey != null && (user != null || password != null)) {
      throw new InvalidParameterException(
          API_KEY, "Give either apiKey or username and password, not both.");
    }
    if ((user == null) != (password == null)) {
      throw new InvalidParameterException(
          user == null ? USERNAME : PASSWORD, "username and password go together: give both.");
    }
    if (user == null && apiKey == null && endpoint.equals(server.endpoint())) {
      // the operator's credentials, only ever for the operator's own server
      user = server.username();
      password = server.password();
      apiKey = server.apiKey();
    }
    return new Destination(endpoint, index, suffix, user, password, apiKey);
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}

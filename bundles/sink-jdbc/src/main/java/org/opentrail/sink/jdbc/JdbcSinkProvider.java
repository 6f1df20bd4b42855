package org.opentrail.sink.jdbc;

import java.sql.Driver;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.sink.ResourceSinkProvider;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Sink type {@code jdbc}: ActionTrail's MaxCompute delivery into a warehouse table. A destination
 * writes into table {@code <schema>.<table>} (default {@code public.actiontrail_<trail>}) of the
 * operator's database ({@link JdbcSinkConfig}) or of its own {@code url}; the table is created if
 * missing ({@link TableSchema}) and holds each event once, keyed by {@code (recipient_account_id,
 * event_id)} as the store keys it. Drivers are found through the OSGi JDBC service: any {@link
 * DataSourceFactory} whose driver accepts the URL (pgjdbc registers one when {@code
 * org.osgi.service.jdbc} is installed).
 *
 * <p>Destination keys: {@code url}, {@code user}, {@code password} (secret), {@code schema}, {@code
 * table}. A destination that names its own {@code url} never gets the operator's credentials.
 */
@Component(
    service = {SinkProvider.class, ResourceSinkProvider.class},
    property = SinkProvider.TYPE + "=jdbc",
    configurationPid = JdbcSinkConfig.PID)
@Designate(ocd = JdbcSinkConfig.class)
public final class JdbcSinkProvider implements ResourceSinkProvider {
  static final String URL = "url";
  static final String USER = "user";
  static final String PASSWORD = "password";
  static final String SCHEMA = "schema";
  static final String TABLE = "table";
  private static final Set<String> KEYS = Set.of(URL, USER, PASSWORD, SCHEMA, TABLE);

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<DataSourceFactory> factories = List.of();

  private final List<Driver> drivers;
  private volatile OperatorSettings settings;

  /** The component, with its configuration. */
  @Activate
  public JdbcSinkProvider(JdbcSinkConfig config) {
    this.drivers = null;
    this.settings = OperatorSettings.of(config, null);
  }

  /** A provider outside OSGi (tests, benchmarks), with the given drivers. */
  public JdbcSinkProvider(JdbcSinkConfig config, List<Driver> drivers) {
    this.drivers = List.copyOf(drivers);
    this.settings = OperatorSettings.of(config, null);
  }

  /** A changed configuration applies to destinations opened from now on. */
  @Modified
  void modified(JdbcSinkConfig config) {
    settings = OperatorSettings.of(config, settings);
  }

  @Override
  public Set<String> secretKeys() {
    return Set.of(PASSWORD);
  }

  @Override
  public void validate(Map<String, String> config) {
    for (String k : config.keySet()) {
      if (!KEYS.contains(k)) {
        throw new InvalidParameterException(
            k,
            "The jdbc sink has no configuration key '"
                + k
                + "'; its keys are url, user, password, schema and table.");
      }
    }
    OperatorSettings s = settings;
    String url = config.get(URL);
    if (url != null) {
      JdbcUrls.check(URL, url);
      if (!config.containsKey(USER) && !url.equals(s.url())) {
        throw new InvalidParameterException(
            "MissingParameter",
            USER,
            "A jdbc destination with its own url needs its own user (and password): the operator's credentials go only to the operator's database.");
      }
    } else if (s.url().isEmpty()) {
      throw new InvalidParameterException(
          "MissingParameter",
          URL,
          "The jdbc sink has no default database (url in "
              + JdbcSinkConfig.PID
              + "): the destination must name its url.");
    }
    String user = config.get(USER);
    if (user != null && (user.isEmpty() || user.length() > 128 || hasControl(user))) {
      throw new InvalidParameterException(
          USER, "The jdbc sink's user must be 1 to 128 characters without control characters.");
    }
    String password = config.get(PASSWORD);
    if (password != null && (password.length() > 1024 || hasControl(password))) {
      throw new InvalidParameterException(
          PASSWORD,
          "The jdbc sink's password must be at most 1024 characters without control characters.");
    }
    if (config.containsKey(SCHEMA)) {
      Identifiers.check(SCHEMA, config.get(SCHEMA));
    }
    if (config.containsKey(TABLE)) {
      Identifiers.check(TABLE, config.get(TABLE));
    }
    try {
      driverFor(url != null ? url : s.url());
    } catch (SQLException e) {
      throw new InvalidParameterException(url != null ? URL : JdbcSinkConfig.PID, e.getMessage());
    }
    if (url != null && !s.allows(url)) {
      throw new InvalidParameterException(
          URL,
          "The jdbc sink's url names a database this OpenTrail may not deliver to: the operator"
              + " allows the default url and those in allowed.urls of "
              + JdbcSinkConfig.PID
              + ".");
    }
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  /**
   * {@code jdbc:<normalised url>/<schema>.<table>}, e.g. {@code
   * jdbc:postgresql://db:5432/audit/public.actiontrail_t}.
   */
  @Override
  public String resource(SinkTarget target) {
    return destination(target).resource();
  }

  /** Where and how a destination writes, from its configuration over the operator's. */
  Destination destination(SinkTarget target) {
    OperatorSettings s = settings;
    Map<String, String> c = target.config();
    String url = c.getOrDefault(URL, s.url());
    boolean own = c.containsKey(URL) && !url.equals(s.url());
    String user = c.getOrDefault(USER, own ? "" : s.user());
    String password =
        c.containsKey(USER) || own
            ? c.getOrDefault(PASSWORD, "")
            : c.getOrDefault(PASSWORD, s.password());
    String schema = c.getOrDefault(SCHEMA, s.schema());
    String table = c.getOrDefault(TABLE, "actiontrail_" + target.trailName());
    Identifiers.check(SCHEMA, schema);
    Identifiers.check(TABLE, table);
    String resource = JdbcUrls.normalise(url) + "/" + schema + "." + table;
    return new Destination(
        url,
        user,
        password,
        schema,
        table,
        resource,
        s.loadMethod(),
        s.sslmode(),
        s.connectTimeoutSeconds(),
        s.socketTimeoutSeconds());
  }

  /**
   * Opens the destination: connects, creates its table if missing and checks the permission to
   * insert.
   *
   * @throws SQLException explained (unreachable, refused credentials, no permission, missing
   *     schema, no driver bundle for the URL)
   */
  @Override
  public Sink open(SinkTarget target) throws SQLException {
    Destination d = destination(target);
    JdbcSink sink = new JdbcSink(d, driverFor(d.url()));
    sink.connect();
    return sink;
  }

  /**
   * The driver that accepts {@code url}, from a registered DataSourceFactory (or the given ones).
   */
  Driver driverFor(String url) throws SQLException {
    if (drivers != null) {
      for (Driver d : drivers) {
        if (d.acceptsURL(url)) {
          return d;
        }
      }
    } else {
      for (DataSourceFactory f : factories) {
        Driver d = f.createDriver(null);
        if (d.acceptsURL(url)) {
          return d;
        }
      }
    }
    throw new SQLException(DriverBundles.missing(url), "08001");
  }
}

package org.opentrail.sink.jdbc;

/**
 * Where and how one destination writes: everything {@link JdbcSink} needs to connect and load.
 *
 * @param url the JDBC URL (its own or the operator's default)
 * @param user the user name, empty for none
 * @param password the password in plain text, empty for none; never logged nor shown
 * @param schema the schema of the table (a checked {@link Identifiers} name)
 * @param table the table (a checked {@link Identifiers} name)
 * @param resource the resource name, {@link JdbcSinkProvider#resource}'s form
 * @param loadMethod {@code auto}, {@code copy} or {@code insert}
 * @param sslmode PostgreSQL's sslmode, empty for the driver's default
 * @param connectTimeoutSeconds connect and login timeout, seconds
 * @param socketTimeoutSeconds longest wait on the server during a batch, seconds
 */
record Destination(
    String url,
    String user,
    String password,
    String schema,
    String table,
    String resource,
    String loadMethod,
    String sslmode,
    int connectTimeoutSeconds,
    int socketTimeoutSeconds) {

  /** The table, schema-qualified and quoted, for SQL. */
  String qualifiedTable() {
    return Identifiers.quote(schema) + "." + Identifiers.quote(table);
  }

  boolean postgres() {
    return JdbcUrls.isPostgres(url);
  }

  /** Everything but the password. */
  @Override
  public String toString() {
    return resource + " as " + (user.isEmpty() ? "(no user)" : user);
  }
}

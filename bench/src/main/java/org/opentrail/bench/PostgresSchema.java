package org.opentrail.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL baseline's tables: what a careful user builds in an afternoon to answer
 * LookupEvents. One row per event in {@code events}, with the six single-valued lookup attributes
 * as columns, OpenTrail's sequence number as the tie-break of equal event times and the body as
 * jsonb; ResourceType and ResourceName may hold several values per event (a {@code ;}-separated
 * list plus referencedResources), so each has a child table of (value, event) pairs. Every
 * attribute has a B-tree on (account, attribute, event_time DESC, seq DESC), so that a lookup reads
 * its newest (or, scanned backwards, oldest) matches first and stops after MaxResults + 1.
 */
final class PostgresSchema {
  /** The statements that make the tables and indexes, in order. */
  static final List<String> DDL =
      List.of(
          """
          CREATE TABLE events (
            seq           bigint      PRIMARY KEY,  -- OpenTrail's sequence number
            account       text        NOT NULL,
            event_id      text        NOT NULL,
            event_time    timestamptz NOT NULL,
            event_name    text,
            event_rw      text,
            service_name  text,
            user_name     text,
            access_key_id text,
            body          jsonb       NOT NULL,
            UNIQUE (account, event_id)              -- also the EventId lookup
          )""",
          """
          CREATE TABLE event_resource_types (
            account       text        NOT NULL,
            resource_type text        NOT NULL,
            event_time    timestamptz NOT NULL,
            seq           bigint      NOT NULL      -- events.seq
          )""",
          """
          CREATE TABLE event_resource_names (
            account       text        NOT NULL,
            resource_name text        NOT NULL,
            event_time    timestamptz NOT NULL,
            seq           bigint      NOT NULL      -- events.seq
          )""",
          "CREATE INDEX events_time ON events (account, event_time DESC, seq DESC)",
          "CREATE INDEX events_event_name ON events"
              + " (account, event_name, event_time DESC, seq DESC)",
          "CREATE INDEX events_event_rw ON events (account, event_rw, event_time DESC, seq DESC)",
          "CREATE INDEX events_service_name ON events"
              + " (account, service_name, event_time DESC, seq DESC)",
          "CREATE INDEX events_user_name ON events"
              + " (account, user_name, event_time DESC, seq DESC)",
          "CREATE INDEX events_access_key_id ON events"
              + " (account, access_key_id, event_time DESC, seq DESC)",
          "CREATE UNIQUE INDEX event_resource_types_key ON event_resource_types"
              + " (account, resource_type, event_time DESC, seq DESC)",
          "CREATE UNIQUE INDEX event_resource_names_key ON event_resource_names"
              + " (account, resource_name, event_time DESC, seq DESC)");

  /** The tables whose size (with their indexes and TOAST) is the baseline's size. */
  static final List<String> TABLES =
      List.of("events", "event_resource_types", "event_resource_names");

  /** One line for the run header. */
  static final String DESCRIPTION =
      "events(seq bigint PK, account, event_id UNIQUE(account, event_id), event_time timestamptz,"
          + " event_name, event_rw, service_name, user_name, access_key_id, body jsonb);"
          + " event_resource_types / event_resource_names(account, value, event_time, seq) child"
          + " tables for the multi-valued attributes; B-trees on (account, attribute, event_time"
          + " DESC, seq DESC) for each attribute and for the time alone (10 B-trees)";

  private PostgresSchema() {}

  static void create(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String ddl : DDL) {
        s.execute(ddl);
      }
    }
  }
}

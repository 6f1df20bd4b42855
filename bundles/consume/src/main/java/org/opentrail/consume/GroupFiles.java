package org.opentrail.consume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.opentrail.api.consume.Checkpoint;
import org.opentrail.api.consume.ConsumerGroup;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Consumer groups on disk: one file per group, {@code <dir>/<account>/<logstore>/<group>.group},
 * written whole, owner-only, fsync'd and renamed into place ({@link DurableFiles}) on every change.
 * The file is {@code key=value} lines ending with a CRC-32 of the lines before it; a file that does
 * not parse or whose checksum is wrong is a {@link DamagedFileException}, never an empty group.
 */
final class GroupFiles {
  static final String SUFFIX = ".group";
  private static final String FORMAT = "opentrail-consumer-group 1";

  /** A group and its shard 0 checkpoint. */
  record Group(ConsumerGroup group, Checkpoint checkpoint) {}

  private final Path dir;

  GroupFiles(Path dir) {
    this.dir = dir;
  }

  Path file(String account, String logstore, String group) {
    return dir.resolve(account).resolve(logstore).resolve(group + SUFFIX);
  }

  /** The group, or {@code null} if it has no file. */
  Group read(String account, String logstore, String group) throws IOException {
    Path f = file(account, logstore, group);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return null;
    }
    return parse(f, bytes);
  }

  void write(String account, Group g) throws IOException {
    ConsumerGroup c = g.group();
    Checkpoint p = g.checkpoint();
    StringBuilder b = new StringBuilder(FORMAT).append('\n');
    b.append("logstore=").append(c.logstore()).append('\n');
    b.append("group=").append(c.name()).append('\n');
    b.append("timeout=").append(c.timeoutSeconds()).append('\n');
    b.append("inOrder=").append(c.inOrder()).append('\n');
    b.append("created=").append(c.createTime()).append('\n');
    b.append("shard=").append(p.shard()).append('\n');
    b.append("cursor=").append(p.cursor()).append('\n');
    b.append("sequence=").append(p.sequence()).append('\n');
    b.append("consumer=").append(p.consumer()).append('\n');
    b.append("updated=").append(p.updateTime() == null ? "" : p.updateTime()).append('\n');
    byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
    String crc = "crc32=" + crc(body) + "\n";
    byte[] all = (b + crc).getBytes(StandardCharsets.UTF_8);
    DurableFiles.createPrivateDirectories(dir.resolve(account).resolve(c.logstore()));
    DurableFiles.write(file(account, c.logstore(), c.name()), all);
  }

  /** Deletes a group's file; false if it had none. */
  boolean delete(String account, String logstore, String group) throws IOException {
    Path f = file(account, logstore, group);
    boolean deleted = Files.deleteIfExists(f);
    if (deleted) {
      DurableFiles.syncDirectory(f.getParent());
    }
    return deleted;
  }

  /** The account's groups of one logstore, or of all ({@code logstore == null}), by name. */
  List<Group> list(String account, String logstore) throws IOException {
    List<Group> out = new ArrayList<>();
    Path base = dir.resolve(account);
    if (!Files.isDirectory(base)) {
      return out;
    }
    List<Path> stores = new ArrayList<>();
    if (logstore != null) {
      stores.add(base.resolve(logstore));
    } else {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, Files::isDirectory)) {
        ds.forEach(stores::add);
      }
    }
    for (Path s : stores) {
      if (!Files.isDirectory(s)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(s, "*" + SUFFIX)) {
        for (Path f : ds) {
          out.add(parse(f, Files.readAllBytes(f)));
        }
      }
    }
    out.sort(
        (a, b) ->
            a.group().logstore().equals(b.group().logstore())
                ? a.group().name().compareTo(b.group().name())
                : a.group().logstore().compareTo(b.group().logstore()));
    return out;
  }

  private static Group parse(Path f, byte[] bytes) throws DamagedFileException {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int crcAt = text.lastIndexOf("crc32=");
    if (!text.startsWith(FORMAT + "\n") || crcAt < 0 || !text.endsWith("\n")) {
      throw new DamagedFileException(f, "not a consumer group file (truncated or overwritten)");
    }
    String body = text.substring(0, crcAt);
    String crc = text.substring(crcAt + 6, text.length() - 1);
    if (!crc.equals(crc(body.getBytes(StandardCharsets.UTF_8)))) {
      throw new DamagedFileException(f, "its checksum does not match its content");
    }
    Map<String, String> v = new LinkedHashMap<>();
    for (String line : body.substring(FORMAT.length() + 1).split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 1) {
        throw new DamagedFileException(f, "malformed line '" + line + "'");
      }
      v.put(line.substring(0, eq), line.substring(eq + 1));
    }
    try {
      ConsumerGroup g =
          new ConsumerGroup(
              need(f, v, "logstore"),
              need(f, v, "group"),
              Integer.parseInt(need(f, v, "timeout")),
              Boolean.parseBoolean(need(f, v, "inOrder")),
              Instant.parse(need(f, v, "created")));
      String updated = need(f, v, "updated");
      Checkpoint p =
          new Checkpoint(
              Integer.parseInt(need(f, v, "shard")),
              need(f, v, "cursor"),
              Long.parseLong(need(f, v, "sequence")),
              need(f, v, "consumer"),
              updated.isEmpty() ? null : Instant.parse(updated));
      return new Group(g, p);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new DamagedFileException(f, "a value is malformed: " + e.getMessage(), e);
    }
  }

  private static String need(Path f, Map<String, String> v, String key)
      throws DamagedFileException {
    String s = v.get(key);
    if (s == null) {
      throw new DamagedFileException(f, "it has no " + key);
    }
    return s;
  }

  private static String crc(byte[] body) {
    CRC32 c = new CRC32();
    c.update(body);
    return Long.toHexString(c.getValue());
  }
}

package org.opentrail.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A compact client of OpenTrail's HTTP API as Alibaba Cloud's SDKs call it: POST to {@code /}, the
 * common parameters in the query string, the business ones in an {@code
 * application/x-www-form-urlencoded} body, signed with the RPC signature 1.0 (HMAC-SHA1 over every
 * parameter but Signature, sorted by name and percent-encoded), a fresh SignatureNonce per request.
 * Requests go over {@link HttpURLConnection} with keep-alive (one connection per client thread; the
 * JDK's keep-alive cache is sized by {@link #configureKeepAlive}).
 *
 * <p>PutEvents batches are prepared once ({@link #prepare}): the form body is encoded and the HMAC
 * is run over the part of the string to sign that precedes the per-request parameters (AccessKeyId,
 * Action and Events sort before Format, SignatureMethod, SignatureNonce, SignatureVersion,
 * Timestamp and Version). Each request then clones that state and signs only its own tail, so the
 * client's cost per batch does not grow with the batch.
 */
final class HttpApi {
  static final String VERSION = "2020-07-06";
  static final String FORM = "application/x-www-form-urlencoded";

  /** The root access key the first start writes to {@code <data>/credentials}. */
  record Credentials(String accountId, String accessKeyId, String secret) {
    static Credentials read(Path file) throws IOException {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
      String account = p.getProperty("account_id");
      String id = p.getProperty("access_key_id");
      String secret = p.getProperty("access_key_secret");
      if (account == null || id == null || secret == null) {
        throw new IOException(
            file
                + " lacks account_id, access_key_id or access_key_secret: "
                + p.stringPropertyNames());
      }
      return new Credentials(account.strip(), id.strip(), secret.strip());
    }
  }

  /** An answer: HTTP status and body. */
  record Answer(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body, cut to {@code max} characters, for messages. */
    String clipped(int max) {
      String t = text();
      return t.length() > max ? t.substring(0, max) + "... (" + t.length() + " chars)" : t;
    }
  }

  /** A PutEvents batch ready to send: its form body and the HMAC state over its fixed part. */
  static final class PreparedPut {
    final int events;
    final byte[] body;
    private final Mac head; // RPC form: the HMAC state over the fixed part; null for a JSON body
    private final String bodySha256; // JSON body (ACS3): its hex SHA-256; null for a form

    private PreparedPut(int events, byte[] body, Mac head, String bodySha256) {
      this.events = events;
      this.body = body;
      this.head = head;
      this.bodySha256 = bodySha256;
    }
  }

  /**
   * Prepares a PutEvents call whose body is the JSON array itself, to be signed with
   * ACS3-HMAC-SHA256 (whose signature covers the body through its SHA-256).
   */
  PreparedPut prepareJson(byte[] jsonArray, int events) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(jsonArray);
      return new PreparedPut(events, jsonArray, null, java.util.HexFormat.of().formatHex(digest));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends a JSON-body PutEvents signed with ACS3-HMAC-SHA256, fresh nonce and date. */
  Answer putJson(PreparedPut batch) throws IOException {
    java.util.TreeMap<String, String> headers = new java.util.TreeMap<>();
    headers.put("content-type", "application/json");
    headers.put("host", "127.0.0.1:" + port);
    headers.put("x-acs-action", "PutEvents");
    headers.put("x-acs-content-sha256", batch.bodySha256);
    headers.put("x-acs-date", timestamp());
    headers.put("x-acs-signature-nonce", nonce());
    headers.put("x-acs-version", VERSION);
    StringBuilder canonical = new StringBuilder("POST\n/\n\n");
    headers.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
    String signed = String.join(";", headers.keySet());
    canonical.append('\n').append(signed).append('\n').append(batch.bodySha256);
    try {
      java.util.HexFormat hex = java.util.HexFormat.of();
      String toSign =
          "ACS3-HMAC-SHA256\n"
              + hex.formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              key.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String signature = hex.formatHex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
      Map<String, String> send = new java.util.LinkedHashMap<>(headers);
      send.remove("host");
      send.put(
          "Authorization",
          "ACS3-HMAC-SHA256 Credential="
              + key.accessKeyId()
              + ",SignedHeaders="
              + signed
              + ",Signature="
              + signature);
      return send("", batch.body, send);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final boolean[] UNRESERVED = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      UNRESERVED[c] = true;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      UNRESERVED[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      UNRESERVED[c] = true;
    }
    UNRESERVED['-'] = true;
    UNRESERVED['_'] = true;
    UNRESERVED['.'] = true;
    UNRESERVED['~'] = true;
  }

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  final String base;
  final Credentials key;
  private final byte[] macKey;
  private final int port;

  HttpApi(int port, Credentials key) {
    this.port = port;
    this.base = "http://127.0.0.1:" + port + "/";
    this.key = key;
    this.macKey = (key.secret() + "&").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Lets the JDK keep up to {@code connections} idle connections to one server (its default is 5,
   * so with more client threads connections would be closed and reopened). Call before the first
   * request of the JVM.
   */
  static void configureKeepAlive(int connections) {
    System.setProperty("http.keepAlive", "true");
    System.setProperty("http.maxConnections", Integer.toString(Math.max(5, connections)));
  }

  // ---- signing

  /** Percent-encoding as RFC 3986 and Alibaba Cloud's signatures want it, of UTF-8 bytes. */
  static byte[] pe(byte[] utf8) {
    int extra = 0;
    for (byte b : utf8) {
      if (b < 0 || !UNRESERVED[b]) {
        extra += 2;
      }
    }
    byte[] out = new byte[utf8.length + extra];
    int j = 0;
    for (byte b : utf8) {
      if (b >= 0 && UNRESERVED[b]) {
        out[j++] = b;
      } else {
        out[j++] = '%';
        out[j++] = HEX[(b >> 4) & 0xF];
        out[j++] = HEX[b & 0xF];
      }
    }
    return out;
  }

  static String pe(String s) {
    return new String(pe(s.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
  }

  private Mac mac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(macKey, "HmacSHA1"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
  }

  /** The RPC 1.0 signature of {@code params} (all of them; Signature must not be among them). */
  String sign(Map<String, String> params) {
    StringBuilder canonical = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
      if (canonical.length() > 0) {
        canonical.append('&');
      }
      canonical.append(pe(e.getKey())).append('=').append(pe(e.getValue()));
    }
    String toSign = "POST&" + pe("/") + "&" + pe(canonical.toString());
    return Base64.getEncoder()
        .encodeToString(mac().doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
  }

  /** The common parameters of a call but Signature, with a fresh nonce and the current time. */
  Map<String, String> common(String action) {
    Map<String, String> p = new TreeMap<>();
    p.put("Action", action);
    p.put("Version", VERSION);
    p.put("Format", "JSON");
    p.put("AccessKeyId", key.accessKeyId());
    p.put("SignatureMethod", "HMAC-SHA1");
    p.put("SignatureVersion", "1.0");
    p.put("SignatureNonce", nonce());
    p.put("Timestamp", timestamp());
    return p;
  }

  static String nonce() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString();
  }

  static String timestamp() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A signed call with {@code business} parameters in the form body. */
  Answer call(String action, Map<String, String> business) throws IOException {
    Map<String, String> query = common(action);
    Map<String, String> all = new TreeMap<>(query);
    all.putAll(business);
    String signature = sign(all);
    StringBuilder form = new StringBuilder();
    business.forEach(
        (k, v) ->
            form.append(form.length() == 0 ? "" : "&").append(pe(k)).append('=').append(pe(v)));
    return post(
        encode(query) + "&Signature=" + pe(signature),
        form.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static String encode(Map<String, String> params) {
    StringBuilder b = new StringBuilder(320);
    params.forEach(
        (k, v) -> b.append(b.length() == 0 ? "" : "&").append(pe(k)).append('=').append(pe(v)));
    return b.toString();
  }

  /**
   * Prepares a PutEvents call of a JSON array of {@code events} events: the form body {@code
   * Events=<JSON, percent-encoded>} and the HMAC over {@code POST&%2F&} and the encoded canonical
   * string up to and including {@code Events=...}.
   */
  PreparedPut prepare(byte[] jsonArray, int events) {
    byte[] encoded = pe(jsonArray);
    byte[] name = "Events=".getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[name.length + encoded.length];
    System.arraycopy(name, 0, body, 0, name.length);
    System.arraycopy(encoded, 0, body, name.length, encoded.length);
    Mac mac = mac();
    String prefix = "AccessKeyId=" + pe(key.accessKeyId()) + "&Action=PutEvents&Events=";
    mac.update(("POST&%2F&" + pe(prefix)).getBytes(StandardCharsets.US_ASCII));
    // the value once encoded is in the canonical string, which is encoded again: '%' -> '%25'
    byte[] chunk = new byte[64 * 1024];
    int n = 0;
    for (byte b : encoded) {
      if (n + 3 > chunk.length) {
        mac.update(chunk, 0, n);
        n = 0;
      }
      chunk[n++] = b;
      if (b == '%') {
        chunk[n++] = '2';
        chunk[n++] = '5';
      }
    }
    mac.update(chunk, 0, n);
    return new PreparedPut(events, body, mac, null);
  }

  /**
   * Sends a prepared PutEvents with a fresh nonce and timestamp (as it was prepared: form or JSON).
   */
  Answer put(PreparedPut batch) throws IOException {
    if (batch.head == null) {
      return putJson(batch);
    }
    String nonce = nonce();
    String time = pe(timestamp());
    String tail =
        "&Format=JSON&SignatureMethod=HMAC-SHA1&SignatureNonce="
            + nonce
            + "&SignatureVersion=1.0&Timestamp="
            + time
            + "&Version="
            + VERSION;
    Mac mac;
    try {
      mac = (Mac) batch.head.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA1 cannot be cloned here", e);
    }
    String signature =
        Base64.getEncoder()
            .encodeToString(mac.doFinal(pe(tail).getBytes(StandardCharsets.US_ASCII)));
    String query =
        "Action=PutEvents&Version="
            + VERSION
            + "&Format=JSON&AccessKeyId="
            + pe(key.accessKeyId())
            + "&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce="
            + nonce
            + "&Timestamp="
            + time
            + "&Signature="
            + pe(signature);
    return post(query, batch.body);
  }

  /**
   * Checks that a prepared batch is signed exactly as the straightforward signer signs it (the
   * signature of the same parameters computed from scratch).
   */
  void selfCheck(byte[] jsonArray) {
    PreparedPut p = prepare(jsonArray, 0);
    String nonce = nonce();
    String time = timestamp();
    Map<String, String> all = common("PutEvents");
    all.put("SignatureNonce", nonce);
    all.put("Timestamp", time);
    all.put("Events", new String(jsonArray, StandardCharsets.UTF_8));
    String expected = sign(all);
    String tail =
        "&Format=JSON&SignatureMethod=HMAC-SHA1&SignatureNonce="
            + nonce
            + "&SignatureVersion=1.0&Timestamp="
            + pe(time)
            + "&Version="
            + VERSION;
    String got =
        Base64.getEncoder()
            .encodeToString(p.head.doFinal(pe(tail).getBytes(StandardCharsets.US_ASCII)));
    if (!expected.equals(got)) {
      throw new IllegalStateException(
          "the prepared PutEvents signature differs from the plain one: "
              + got
              + " vs "
              + expected);
    }
  }

  // ---- transport

  /** POSTs a form body with this raw query string; reads the whole answer. */
  Answer post(String rawQuery, byte[] form) throws IOException {
    return send(rawQuery, form, Map.of("Content-Type", FORM));
  }

  /** POSTs {@code body} with these headers and this raw query string; reads the whole answer. */
  private Answer send(String rawQuery, byte[] payload, Map<String, String> headers)
      throws IOException {
    byte[] form = payload;
    URL url = URI.create(rawQuery.isEmpty() ? base : base + "?" + rawQuery).toURL();
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setUseCaches(false);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(300_000);
    c.setFixedLengthStreamingMode(form.length);
    headers.forEach(c::setRequestProperty);
    c.setRequestProperty("Accept", "application/json");
    c.setRequestProperty("User-Agent", "opentrail-bench");
    try (OutputStream out = c.getOutputStream()) {
      out.write(form);
    }
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    byte[] body;
    if (in == null) {
      body = new byte[0];
    } else {
      try (in) {
        body = readAll(in, c.getContentLength());
      }
    }
    return new Answer(status, body);
  }

  private static byte[] readAll(InputStream in, int length) throws IOException {
    if (length >= 0) {
      byte[] b = in.readNBytes(length);
      in.read(); // lets the connection go back to the keep-alive cache at once
      return b;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    in.transferTo(out);
    return out.toByteArray();
  }

  // ---- answers (no JSON parser: the few top-level fields needed are found by name, in the bytes)

  private static final Pattern NUMBER =
      Pattern.compile("\"(Accepted|Duplicates|Rejected)\":(\\d+)");
  private static final byte[] RESULTS = ascii("\"Results\":");
  private static final byte[] EVENTS = ascii("\"Events\":");

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The top-level fields of an answer: the part before {@code "Results":} or {@code "Events":} (the
   * long lists, which OpenTrail writes after the other fields), decoded.
   */
  static String head(byte[] body) {
    int end = body.length;
    for (int i = 0; i < body.length; i++) {
      if (body[i] == '"' && (startsWith(body, i, RESULTS) || startsWith(body, i, EVENTS))) {
        end = i;
        break;
      }
    }
    return new String(body, 0, end, StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] hay, int at, byte[] needle) {
    if (at + needle.length > hay.length) {
      return false;
    }
    for (int j = 0; j < needle.length; j++) {
      if (hay[at + j] != needle[j]) {
        return false;
      }
    }
    return true;
  }

  /** Accepted, Duplicates and Rejected of a PutEvents answer, or -1 where absent. */
  static long[] putCounts(byte[] body) {
    long[] out = {-1, -1, -1};
    Matcher m = NUMBER.matcher(head(body));
    while (m.find()) {
      int i =
          switch (m.group(1)) {
            case "Accepted" -> 0;
            case "Duplicates" -> 1;
            default -> 2;
          };
      out[i] = Long.parseLong(m.group(2));
    }
    return out;
  }

  /**
   * The value of a top-level string field without escapes (RequestId, NextToken, Code) in {@code
   * head}, or null.
   */
  static String stringField(String head, String name) {
    String marker = "\"" + name + "\":\"";
    int from = head.indexOf(marker);
    if (from < 0) {
      return null;
    }
    from += marker.length();
    int to = head.indexOf('"', from);
    return to < 0 ? null : head.substring(from, to);
  }

  /**
   * How many times the ASCII {@code needle} occurs in {@code body} (searched as a Latin-1 string,
   * whose indexOf the JIT vectorizes: a third of the cost of a byte loop over a 60 KB answer).
   */
  static int count(byte[] body, String needle) {
    String hay = new String(body, StandardCharsets.ISO_8859_1);
    int n = 0;
    for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}

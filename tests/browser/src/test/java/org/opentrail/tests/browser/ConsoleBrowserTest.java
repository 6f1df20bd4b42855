package org.opentrail.tests.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in Debian's headless Chromium against a real OpenTrail: sign-in (refused, locked
 * out, recorded), the history (filters, paging past 50, detail, export read back), trails (create,
 * start, stop, delete), a refused page, a forged request without the CSRF token, and injection
 * strings shown as text. One browser and one instance for the class; screenshots of each page under
 * target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  private static final String ADMIN_POLICY =
      "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
  private static final String READER_POLICY =
      "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"actiontrail:LookupEvents\","
          + "\"Resource\":\"*\"}]}";
  private static final String INSPECTOR_POLICY =
      "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
          + "[\"actiontrail:DescribeInnerTrail\",\"actiontrail:GetInnerTrailStatus\"],"
          + "\"Resource\":\"*\"}]}";
  private static final String XSS = "<script>alert(1)</script>";
  private static final int PAGED = 120;

  @TempDir static Path dir;
  private Console ot;
  private ChromeDriver driver;
  private Path downloads;
  private Path shots;
  private String alice;
  private String bob;
  private String reader;
  private String inspector;
  private List<String> paged;
  private String injected;

  @BeforeAll
  void start() throws Exception {
    ot = new Console(dir.resolve("data"));
    alice = ot.user(dir, "alice", ADMIN_POLICY);
    bob = ot.user(dir, "bob", ADMIN_POLICY);
    reader = ot.user(dir, "reader", READER_POLICY);
    inspector = ot.user(dir, "inspector", INSPECTOR_POLICY);
    ot.run("auth:grant");
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < PAGED; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"eventName\":\"PutObject\",\"eventRW\":\"Write\",\"serviceName\":\"Oss\",")
          .append("\"sourceIpAddress\":\"192.0.2.7\",\"userIdentity\":{\"type\":\"ram-user\",")
          .append("\"userName\":\"pager\"},\"resourceType\":\"ACS::OSS::Object\",")
          .append("\"resourceName\":\"")
          .append(i == 7 ? "=cmd|' /C calc'!A0" : "obj-" + i)
          .append("\"}");
    }
    paged = ot.record(dir, json.append("]").toString());
    assertEquals(PAGED, paged.size());
    injected =
        ot.record(
                dir,
                "[{\"eventName\":\"DeleteBucket\",\"eventRW\":\"Write\",\"serviceName\":\"Oss\","
                    + "\"sourceIpAddress\":\"192.0.2.9\",\"userIdentity\":{\"type\":\"ram-user\","
                    + "\"userName\":\"mallory\"},\"resourceType\":\"ACS::OSS::Bucket\","
                    + "\"resourceName\":\"<script>alert(1)</script>\","
                    + "\"errorCode\":\"<img src=x onerror=alert(2)>\"}]")
            .get(0);
    downloads = Files.createDirectories(dir.resolve("downloads"));
    shots =
        Files.createDirectories(Paths.get(System.getProperty("screenshots", "target/screenshots")));
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome")),
        "--window-size=1280,800");
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloads.toString());
    prefs.put("download.prompt_for_download", false);
    o.setExperimentalOption("prefs", prefs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, o);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (ot != null) {
      ot.close();
    }
  }

  @Test
  @Order(1)
  void refusedSigninsAreRecordedAndRepeatedOnesLockTheUserOut() throws Exception {
    for (int i = 0; i < 5; i++) {
      signin("bob@" + ot.account(), "wrong password " + i);
      assertEquals("InvalidSignin", errorCode("signin-error"));
    }
    shot("signin-refused");
    signin("bob@" + ot.account(), bob); // the right password, but locked out now
    assertEquals("SigninLocked", errorCode("signin-error"));
    assertTrue(driver.getCurrentUrl().endsWith("/console/signin"), driver.getCurrentUrl());
    String events = ot.run("event:lookup --event-name ConsoleSignin --user bob --max 50 --json");
    assertEquals(5, count(events, "\"errorCode\":\"InvalidSignin\""), events);
    assertEquals(1, count(events, "\"errorCode\":\"SigninLocked\""), events);
    assertEquals(0, count(events, bob), "a password in an event");
    signin("nobody", "x");
    assertEquals("InvalidParameter.SigninName", errorCode("signin-error"));
    // what is typed into the wrong field may be a password or a secret: not recorded
    signin("Typed-Pa55word!", "x");
    assertEquals("InvalidParameter.SigninName", errorCode("signin-error"));
    keySignin("SecretPastedAsTheKeyId", "x");
    assertEquals("InvalidSignin", errorCode("signin-error"));
    String mine = ot.run("event:lookup --event-name ConsoleSignin --max 50 --json");
    assertEquals(3, count(mine, "\"loginAccount\":\"HIDDEN_DUE_TO_SECURITY_REASONS\""), mine);
    assertFalse(mine.contains("Typed-Pa55word!"), mine);
    assertFalse(mine.contains("SecretPastedAsTheKeyId"), mine);
  }

  @Test
  @Order(2)
  void signInAndPageTheHistoryPast50AndOpenAnEvent() throws Exception {
    signin("alice@" + ot.account(), alice);
    assertTrue(driver.getCurrentUrl().endsWith("/console/history"), driver.getCurrentUrl());
    assertEquals("alice@" + ot.account(), text("whoami"));
    Cookie c = driver.manage().getCookieNamed("otc_session");
    assertTrue(c.isHttpOnly());
    assertEquals("/console", c.getPath());
    assertEquals("Strict", c.getSameSite());
    shot("history");
    driver.findElement(By.id("User")).sendKeys("pager");
    clickAndWait(By.id("search"));
    List<String> seen = new ArrayList<>();
    assertEquals(
        "PutObject",
        driver.findElement(By.cssSelector("#pick-EventName option")).getAttribute("value"));
    assertEquals("pick-EventName", driver.findElement(By.id("EventName")).getAttribute("list"));
    List<String> page1 = rowIds();
    assertEquals(50, page1.size(), () -> driver.getCurrentUrl() + "\n" + text("summary"));
    seen.addAll(page1);
    clickAndWait(By.id("older"));
    List<String> page2 = rowIds();
    assertEquals(50, page2.size());
    seen.addAll(page2);
    clickAndWait(By.id("older"));
    List<String> page3 = rowIds();
    assertEquals(PAGED - 100, page3.size());
    assertTrue(driver.findElements(By.id("older")).isEmpty());
    seen.addAll(page3);
    List<String> newestFirst = new ArrayList<>(paged);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen);
    clickAndWait(By.id("newer"));
    assertEquals(page2, rowIds(), "back to the same place");
    String id = page2.get(3);
    clickAndWait(By.cssSelector("#event-" + id + " a.open"));
    String json = text("event-json");
    assertTrue(
        json.contains("\"eventId\" : \"" + id + "\"")
            || json.contains("\"eventId\": \"" + id + "\""),
        json);
    assertEquals(page2, rowIds(), "the detail keeps the page");
    assertTrue(text("detail").startsWith("pager put object obj-"), text("detail"));
    shot("history-detail");
  }

  @Test
  @Order(3)
  void exportTheWholeResultAndReadItBack() throws Exception {
    driver.get(ot.base + "/history?range=7d&User=pager");
    driver.findElement(By.id("export-csv")).click();
    Path csv = awaitDownload("opentrail-events.csv");
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertEquals(PAGED + 1, lines.size(), "a header and one row per event");
    Set<String> ids = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      ids.add(line.substring(line.lastIndexOf(',') + 1));
    }
    assertEquals(new HashSet<>(paged), ids);
    assertTrue(lines.stream().anyMatch(l -> l.contains("'=cmd|")), "the formula cell is defused");
    assertFalse(lines.stream().anyMatch(l -> l.contains(",=cmd|")), "a formula cell");
    driver.findElement(By.id("export-jsonl")).click();
    Path gz = awaitDownload("opentrail-events.jsonl.gz");
    Set<String> fromJson = new HashSet<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      Matcher m =
          Pattern.compile("\"eventId\":\"([^\"]+)\"")
              .matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      while (m.find()) {
        fromJson.add(m.group(1));
      }
    }
    assertEquals(new HashSet<>(paged), fromJson);
  }

  @Test
  @Order(4)
  void injectionStringsAreShownAsText() throws Exception {
    driver.get(
        ot.base
            + "/history?range=7d&ResourceName="
            + java.net.URLEncoder.encode(XSS, StandardCharsets.UTF_8));
    assertEquals(List.of(injected), rowIds());
    assertEquals(XSS, driver.findElement(By.id("ResourceName")).getAttribute("value"));
    String row = driver.findElement(By.id("event-" + injected)).getText();
    assertTrue(row.contains("mallory deleted bucket " + XSS + " from 192.0.2.9"), row);
    assertTrue(row.contains("<img src=x onerror=alert(2)>"), row);
    assertNoAlert();
    shot("history-injection");
    driver.get(ot.base + "/trails/edit");
    driver.findElement(By.id("trail-name")).sendKeys(XSS);
    new Select(driver.findElement(By.id("dest-type0"))).selectByValue("file");
    driver.findElement(By.id("dest-config0")).sendKeys("bucket=b1");
    clickAndWait(By.id("save-trail"));
    assertTrue(errorCode("error-Name").startsWith("InvalidParameter"), text("error-Name"));
    assertTrue(
        text("error-Name").contains(XSS) || text("error-Name").contains("Name"),
        text("error-Name"));
    assertNoAlert();
    shot("trail-bad-name");
    driver.get(ot.base + "/history?range=custom&start=yesterday&end=" + XSS);
    assertTrue(text("error-start").contains("ISO-8601"), text("error-start"));
    assertNoAlert();
  }

  @Test
  @Order(5)
  void createStartStopAndDeleteATrail() throws Exception {
    driver.get(ot.base + "/trails");
    clickAndWait(By.id("create-trail"));
    driver.findElement(By.id("trail-name")).sendKeys("console-trail");
    new Select(driver.findElement(By.id("trail-rw"))).selectByValue("Write");
    new Select(driver.findElement(By.id("dest-type0"))).selectByValue("file");
    driver.findElement(By.id("dest-config0")).sendKeys("bucket=console-audit");
    shot("trail-create");
    clickAndWait(By.id("save-trail"));
    assertEquals("Stopped", row("console-trail").findElement(By.className("logging")).getText());
    assertEquals("STOPPED", state("console-trail"));
    clickAndWait(By.id("start-console-trail"));
    assertEquals("Logging", row("console-trail").findElement(By.className("logging")).getText());
    awaitState("console-trail", "DELIVERING");
    clickAndWait(By.id("backfill-console-trail"));
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!text("job-console-trail").contains("finished") && System.nanoTime() < end) {
      Thread.sleep(200);
      driver.navigate().refresh();
    }
    assertTrue(
        text("job-console-trail").matches("Backfill job \\d+: finished, (\\d+) of \\1 events.*"),
        text("job-console-trail"));
    shot("trails");
    clickAndWait(By.id("edit-console-trail"));
    assertEquals("true", driver.findElement(By.id("trail-name")).getAttribute("readonly"));
    assertEquals(
        "bucket=console-audit",
        driver.findElement(By.id("dest-config0")).getAttribute("value").strip());
    new Select(driver.findElement(By.id("trail-rw"))).selectByValue("All");
    clickAndWait(By.id("save-trail"));
    assertEquals("All", row("console-trail").findElements(By.tagName("td")).get(1).getText());
    clickAndWait(By.id("stop-console-trail"));
    awaitState("console-trail", "STOPPED");
    clickAndWait(By.id("delete-console-trail"));
    assertEquals("console-trail", text("delete-name"));
    shot("trail-delete-confirm");
    clickAndWait(By.id("confirm-delete"));
    assertEquals("Trail console-trail deleted.", text("notice"));
    assertTrue(driver.findElements(By.id("trail-console-trail")).isEmpty());
    String ops = ot.run("event:lookup --event-name DeleteTrail --user alice --json");
    assertTrue(ops.contains("\"eventType\":\"ConsoleOperation\""), ops);
    String created = ot.run("event:lookup --event-name CreateTrail --user alice --json");
    assertEquals(2, count(created, "\"eventType\":\"ConsoleOperation\""), created);
    assertEquals(1, count(created, "\"errorCode\":\"InvalidParameter\""), "the refused name");
  }

  @Test
  @Order(6)
  void chartsInnerTrailAndInstalledPages() throws Exception {
    driver.get(ot.base + "/charts?range=7d&User=pager");
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> "true".equals(d.findElement(By.id("charts")).getAttribute("data-drawn")));
    String top = driver.findElement(By.id("top0")).getText();
    assertTrue(top.contains("PutObject " + PAGED), top);
    shot("charts");
    clickAndWait(By.cssSelector("#top0 a"));
    assertEquals(50, rowIds().size());
    driver.get(ot.base + "/charts?range=7d");
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> "true".equals(d.findElement(By.id("charts")).getAttribute("data-drawn")));
    String errors = driver.findElement(By.id("top3")).getText();
    assertTrue(errors.contains("<img src=x onerror=alert(2)> 1"), errors);
    assertNoAlert();
    shot("charts-all");
    driver.get(ot.base + "/innertrail");
    assertTrue(text("missing-entitlement").contains("InnerTrail"), text("missing-entitlement"));
    driver.findElement(By.id("innertrail-name")).sendKeys("ops-inner");
    clickAndWait(By.id("innertrail-create"));
    assertEquals("InnerTrailNotEntitled", errorCode("error-innertrail"));
    ot.run("auth:entitle InnerTrail");
    driver.findElement(By.id("innertrail-name")).sendKeys("ops-inner");
    clickAndWait(By.id("innertrail-create"));
    assertEquals("yes", text("collecting"));
    assertTrue(text("innertrail-state").contains("innertrail_ops-inner"), text("innertrail-state"));
    shot("innertrail");
    clickAndWait(By.id("innertrail-disable"));
    assertEquals("no", text("collecting"));
    driver.get(ot.base + "/installed");
    String sinks = driver.findElement(By.id("sinks")).getText();
    assertTrue(sinks.contains("file org.opentrail.sink.file"), sinks);
    shot("installed");
    driver.manage().window().setSize(new Dimension(400, 800));
    driver.get(ot.base + "/history?range=7d&User=pager");
    assertEquals(50, rowIds().size());
    assertTrue(driver.findElement(By.id("search")).isDisplayed());
    shot("history-narrow");
    driver.manage().window().setSize(new Dimension(1280, 800));
  }

  @Test
  @Order(7)
  void aForgedRequestWithoutTheCsrfTokenIsRefused() throws Exception {
    driver.get(ot.base + "/trails");
    String session = driver.manage().getCookieNamed("otc_session").getValue();
    HttpClient http = HttpClient.newHttpClient();
    for (String body : List.of("name=anything", "name=anything&_csrf=forged")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(ot.base + "/trails/save"))
                  .header("Cookie", "otc_session=" + session)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(body + "&type0=file&config0=bucket%3Db"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(403, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"Code\":\"InvalidCsrfToken\""), r.body());
    }
    assertFalse(ot.run("trail:list").contains("anything"));
    String refusals = ot.run("event:lookup --event-name ConsoleRequest --json");
    assertEquals(2, count(refusals, "\"errorCode\":\"InvalidCsrfToken\""), refusals);
    assertEquals(2, count(refusals, "\"eventType\":\"ConsoleOperation\""), refusals);
    assertTrue(refusals.contains("/trails/save"), refusals);
    HttpResponse<String> otherSite =
        http.send(
            HttpRequest.newBuilder(URI.create(ot.base + "/signin"))
                .header("Origin", "http://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "name=alice%40" + ot.account() + "&password=" + alice))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, otherSite.statusCode(), otherSite.body());
    assertTrue(otherSite.body().contains("\"Code\":\"InvalidOrigin\""), otherSite.body());
    HttpResponse<String> huge = // its own client: the connection is closed after the refusal
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(ot.base + "/signin"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("name=" + "x".repeat(300_000)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(ot.base + "/history"))
                .PUT(HttpRequest.BodyPublishers.ofString(""))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, put.statusCode());
    assertEquals(
        "{\"Code\":\"UnsupportedHTTPMethod\",\"Message\":\"The console answers GET and POST,"
            + " not PUT.\"}",
        put.body());
    assertEquals("GET, POST", put.headers().firstValue("Allow").orElse(""));
    assertEquals(413, huge.statusCode(), huge.body());
    assertEquals(
        "{\"Code\":\"RequestTooLarge\",\"Message\":\"A console form may have at most 200000"
            + " bytes; this one has 300005.\"}",
        huge.body());
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(ot.base + "/history")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertTrue(
        r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
  }

  @Test
  @Order(8)
  void aUserWhosePolicyDeniesAPageSeesARefusalThatIsRecorded() throws Exception {
    String old = driver.manage().getCookieNamed("otc_session").getValue();
    clickAndWait(By.id("signout"));
    assertTrue(driver.getCurrentUrl().endsWith("/console/signin"));
    HttpResponse<String> after =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(ot.base + "/history"))
                    .header("Cookie", "otc_session=" + old)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(303, after.statusCode(), "the session ended at sign-out");
    signin("reader@" + ot.account(), reader);
    assertFalse(rowIds().isEmpty());
    driver.get(ot.base + "/trails");
    assertEquals("Forbidden.RAM", errorCode("page-error"));
    assertTrue(text("page-error").contains("actiontrail:DescribeTrails"), text("page-error"));
    shot("trails-refused");
    String events = ot.run("event:lookup --event-name DescribeTrails --user reader --json");
    assertEquals(1, count(events, "\"errorCode\":\"Forbidden.RAM\""), events);
    assertEquals(1, count(events, "\"eventType\":\"ConsoleOperation\""), events);
    // the inner trail's events are LookupEvents': not shown to whom only its status is allowed
    clickAndWait(By.id("signout"));
    signin("inspector@" + ot.account(), inspector);
    driver.get(ot.base + "/innertrail");
    assertEquals("no", text("collecting"));
    assertTrue(driver.findElements(By.id("innertrail-events")).isEmpty());
    assertEquals("(no permission for LookupEvents)", text("innertrail-events-refused"));
  }

  @Test
  @Order(9)
  void theRootSignsInWithItsAccessKey() throws Exception {
    clickAndWait(By.id("signout"));
    java.util.Properties p = new java.util.Properties();
    try (InputStream in =
        Files.newInputStream(ot.platform.dataDirectory().resolve("credentials"))) {
      p.load(in);
    }
    String id = p.getProperty("access_key_id");
    keySignin(id, p.getProperty("access_key_secret") + "x");
    assertEquals("InvalidSignin", errorCode("signin-error"));
    keySignin(id, p.getProperty("access_key_secret"));
    assertEquals("root@" + ot.account(), text("whoami"));
    assertEquals(50, rowIds().size());
    String events =
        ot.run("event:lookup --event-name ConsoleSignin --access-key " + id + " --json");
    assertEquals(2, count(events, "\"eventName\":\"ConsoleSignin\""), events);
    assertEquals(1, count(events, "\"serviceName\":\"AasCustomer\""), events);
    assertEquals(1, count(events, "\"type\":\"unknown\""), "the refused one names no one");
    assertEquals(1, count(events, "\"errorCode\":\"InvalidSignin\""), events);
    assertFalse(events.contains(p.getProperty("access_key_secret")), "a secret in an event");
  }

  @Test
  @Order(10)
  void aPasswordThatMustBeResetIsChangedBeforeTheSessionStarts() throws Exception {
    clickAndWait(By.id("signout"));
    ot.run("auth:useradd temp");
    Matcher m =
        Pattern.compile("\\(shown only now\\): (\\S+)").matcher(ot.run("auth:password -r temp"));
    assertTrue(m.find());
    String given = m.group(1);
    signin("temp@" + ot.account(), given);
    assertTrue(text("reset-required").contains("choose a new password"), text("reset-required"));
    assertTrue(driver.manage().getCookieNamed("otc_session") == null, "no session yet");
    reset(given, "short");
    assertEquals("InvalidParameter.Password", errorCode("signin-error"));
    reset(given, "Chosen-By-Temp-1");
    assertEquals("temp@" + ot.account(), text("whoami"));
    clickAndWait(By.id("signout"));
    signin("temp@" + ot.account(), given);
    assertEquals("InvalidSignin", errorCode("signin-error"));
    signin("temp@" + ot.account(), "Chosen-By-Temp-1");
    assertEquals("temp@" + ot.account(), text("whoami"), "no reset asked again");
    String events = ot.run("event:lookup --event-name UpdateLoginProfile --user temp --json");
    assertEquals(2, count(events, "\"eventType\":\"ConsoleOperation\""), events);
    assertEquals(1, count(events, "\"errorCode\":\"InvalidParameter.Password\""), events);
    assertFalse(events.contains("Chosen-By-Temp-1"), "a password in an event");
  }

  private void reset(String current, String next) {
    driver.findElement(By.id("password")).sendKeys(current);
    driver.findElement(By.id("newPassword")).sendKeys(next);
    clickAndWait(By.id("reset"));
  }

  private void keySignin(String id, String secret) {
    driver.get(ot.base + "/signin");
    driver.findElement(By.cssSelector("details.signin-key summary")).click();
    driver.findElement(By.id("accessKeyId")).sendKeys(id);
    driver.findElement(By.id("accessKeySecret")).sendKeys(secret);
    clickAndWait(By.id("signin-key"));
  }

  // --- helpers

  private void signin(String name, String password) {
    driver.get(ot.base + "/signin");
    driver.findElement(By.id("name")).sendKeys(name);
    driver.findElement(By.id("password")).sendKeys(password);
    clickAndWait(By.id("signin"));
  }

  /** Clicks something that loads a new page, and waits until it has (the old one is gone). */
  private void clickAndWait(By by) {
    WebElement old = driver.findElement(By.tagName("html"));
    driver.findElement(by).click();
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(
            d -> {
              try {
                old.getTagName();
                return false;
              } catch (org.openqa.selenium.StaleElementReferenceException gone) {
                return true;
              } catch (org.openqa.selenium.WebDriverException between) {
                return false; // the document is being replaced: look again
              }
            });
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> "complete".equals(driver.executeScript("return document.readyState")));
  }

  private List<String> rowIds() {
    List<String> ids = new ArrayList<>();
    for (WebElement tr : driver.findElements(By.cssSelector("#events tbody tr"))) {
      ids.add(tr.getAttribute("id").substring("event-".length()));
    }
    return ids;
  }

  private WebElement row(String trail) {
    return driver.findElement(By.id("trail-" + trail));
  }

  private String state(String trail) {
    return row(trail).findElement(By.className("dest")).getAttribute("data-state");
  }

  /** Reloads the trails page until the trail's first destination is in {@code state}. */
  private void awaitState(String trail, String state) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!state.equals(state(trail)) && System.nanoTime() < end) {
      Thread.sleep(200);
      driver.navigate().refresh();
    }
    assertEquals(state, state(trail), () -> row(trail).getText());
  }

  private String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  private String errorCode(String id) {
    return driver.findElement(By.id(id)).findElement(By.tagName("b")).getText();
  }

  private void assertNoAlert() {
    try {
      driver.switchTo().alert();
      throw new AssertionError("a script ran: an alert is open");
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }

  private Path awaitDownload(String name) throws Exception {
    Path f = downloads.resolve(name);
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      if (Files.exists(f) && !Files.exists(downloads.resolve(name + ".crdownload"))) {
        Path moved = dir.resolve(System.nanoTime() + "-" + name);
        Files.move(f, moved);
        return moved;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no download "
            + name
            + " in "
            + downloads
            + ": "
            + list(downloads)
            + "; status "
            + text("export-status"));
  }

  private static String list(Path d) throws IOException {
    try (var s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).toList().toString();
    }
  }

  private void shot(String name) throws IOException {
    Files.write(shots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}

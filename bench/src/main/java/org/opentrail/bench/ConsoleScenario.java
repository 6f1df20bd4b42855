package org.opentrail.bench;

import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code console}: the web console in Debian's headless Chromium (Selenium 4) against a child
 * {@code opentrail run} holding {@code --events} events over 7 days (loaded as {@code http-lookup}
 * loads them). Figures: the time from pressing "Sign in" to the first history page (50 newest
 * events of the last 7 days) loaded in the browser, over 5 sign-ins; the time from pressing
 * "Search" with a changed User or EventName filter to the result page loaded, p50/p99 over {@code
 * --queries} changes (default 200, the values drawn from what the first pages show), or over the
 * events of a kept data directory given with {@code --reuse}; the page weight: HTML, scripts and
 * styles of the history page and of the charts page as sent, gzip-compressed.
 */
final class ConsoleScenario {
  private static final String POLICY =
      "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

  private ConsoleScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    int queries = o.given("--queries") ? o.queries : 200;
    // --reuse: a kept data directory (e.g. logsearch's, 10M events, its search index built)
    boolean reuse = o.reuse != null;
    Path dataDir = reuse ? o.reuse.toAbsolutePath() : BenchStore.createDataDir(o.dir, "console");
    RunHeader.print(out, "console", o, dataDir);
    Path root = Path.of("").toAbsolutePath();
    try (OpenTrailProcess server = OpenTrailProcess.start(dataDir, out)) {
      ActionTrailEventGenerator gen =
          new ActionTrailEventGenerator(new Populations(), server.credentials.accountId());
      String loaded = reuse ? "reused " + dataDir : HttpLookupScenario.load(o, server, gen, out);
      OpenTrailProcess.StoreStatus status = server.awaitIndexed(3600);
      out.printf(Locale.ROOT, "store        %,d events, index caught up%n", status.events());
      // a user and policy of this run's own: a reused store keeps those of earlier runs
      String user = "benchuser" + Long.toString(System.currentTimeMillis(), 36);
      String policy = "bench-admin-" + user;
      StartupScenario.Output r =
          StartupScenario.launch(
              root,
              List.of(
                  "exec",
                  "auth:useradd "
                      + user
                      + "; auth:policyadd "
                      + policy
                      + " '"
                      + POLICY
                      + "'; auth:attach "
                      + policy
                      + " "
                      + user
                      + "; auth:password "
                      + user,
                  "--data",
                  dataDir.toString()));
      Matcher m = Pattern.compile("\\(shown only now\\): (\\S+)").matcher(r.stdout());
      if (r.exit() != 0 || !m.find()) {
        throw new IllegalStateException("could not set a console password: " + r.stderr());
      }
      String password = m.group(1);
      String base = "http://127.0.0.1:" + server.port + "/console";
      String name = user + "@" + server.credentials.accountId();
      Latencies signin = new Latencies(16);
      Latencies filter = new Latencies(queries + 16);
      ChromeDriver driver = driver(dataDir);
      try {
        for (int i = 0; i < 5; i++) {
          driver.get(base + "/signin");
          driver.findElement(By.id("name")).sendKeys(name);
          driver.findElement(By.id("password")).sendKeys(password);
          signin.add(timedClick(driver, By.id("signin")));
          if (driver.findElements(By.cssSelector("#events tbody tr")).size() != 50) {
            throw new IllegalStateException("the first history page does not show 50 events");
          }
          if (i < 4) {
            timedClick(driver, By.id("signout"));
          }
        }
        List<String[]> values = values(driver);
        for (int i = 0; i < queries + 10; i++) {
          String[] v = values.get(i % values.size());
          WebElement other = driver.findElement(By.id(v[0].equals("User") ? "EventName" : "User"));
          other.clear();
          WebElement field = driver.findElement(By.id(v[0]));
          field.clear();
          field.sendKeys(v[1]);
          long t = timedClick(driver, By.id("search"));
          if (i >= 10) {
            filter.add(t);
          }
        }
      } finally {
        driver.quit();
      }
      long history = weight(base, false);
      long charts = weight(base, true);
      Summary s =
          new Summary(
              "console",
              loaded
                  + "; headless Chromium at 1280x800, one browser; a sign-in includes"
                  + " PBKDF2-HMAC-SHA256 with 600,000 iterations");
      s.add("sign-in to first history page p50", "%.0f ms", signin.percentileNanos(50) / 1e6);
      s.add("sign-in to first history page max", "%.0f ms", signin.percentileNanos(100) / 1e6);
      s.add("filter change to results p50", "%.0f ms", filter.percentileNanos(50) / 1e6);
      s.add("filter change to results p99", "%.0f ms", filter.percentileNanos(99) / 1e6);
      s.add("history page scripts+styles (gzip)", "%,d bytes", history);
      s.add("charts page scripts+styles (gzip)", "%,d bytes", charts);
      s.print(out);
      return s;
    }
  }

  private static ChromeDriver driver(Path dataDir) throws Exception {
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
        "--user-data-dir=" + Files.createDirectories(dataDir.resolveSibling("chrome-profile")),
        "--window-size=1280,800");
    return new ChromeDriver(
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build(),
        o);
  }

  /** Clicks what loads a new page; answers the nanoseconds until the new page's table is there. */
  private static long timedClick(ChromeDriver driver, By by) {
    WebElement old = driver.findElement(By.tagName("html"));
    long t0 = System.nanoTime();
    driver.findElement(by).click();
    // WebDriverWait looks every 500 ms by default: a page that came 10 ms after the first look
    // would be timed 500 ms late; look every 2 ms
    WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(2));
    w.until(
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
    w.until(d -> "complete".equals(driver.executeScript("return document.readyState")));
    return System.nanoTime() - t0;
  }

  /** Filter values to draw from: the users and event names of the first history page. */
  private static List<String[]> values(ChromeDriver driver) {
    LinkedHashSet<String> users = new LinkedHashSet<>();
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (WebElement tr : driver.findElements(By.cssSelector("#events tbody tr"))) {
      List<WebElement> td = tr.findElements(By.tagName("td"));
      names.add(td.get(2).getText());
      if (!td.get(3).getText().isEmpty()) {
        users.add(td.get(3).getText());
      }
    }
    List<String[]> v = new ArrayList<>();
    users.forEach(u -> v.add(new String[] {"User", u}));
    names.forEach(n -> v.add(new String[] {"EventName", n}));
    return v;
  }

  /** Bytes of a page's scripts and styles as sent gzip-compressed. */
  private static long weight(String base, boolean charts) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long bytes = 0;
    List<String> assets = new ArrayList<>(List.of("/static/console.js", "/static/console.css"));
    if (charts) {
      assets.add("/static/echarts.min.js");
    }
    for (String a : assets) {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + a))
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      bytes += r.body().length;
    }
    return bytes;
  }
}

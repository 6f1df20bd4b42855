package org.opentrail.console;

import java.io.IOException;
import org.opentrail.api.OpenTrailException;

/**
 * Which page or action answers a path under {@code /console} for a signed-in user (the servlet has
 * checked the session and, for a POST, its CSRF token); actions that change something answer only a
 * POST (405 {@code UnsupportedHTTPMethod} otherwise), and an unknown path is 404 {@code NotFound}.
 */
final class Routes {
  private final SigninPage signin;
  private final HistoryPage history;
  private final ChartsPage charts;
  private final Exports exports;
  private final TrailsPage trails;
  private final TrailForm trailForm;
  private final InnerTrailPage inner;

  Routes(
      SigninPage signin,
      HistoryPage history,
      ChartsPage charts,
      Exports exports,
      TrailsPage trails,
      TrailForm trailForm,
      InnerTrailPage inner) {
    this.signin = signin;
    this.history = history;
    this.charts = charts;
    this.exports = exports;
    this.trails = trails;
    this.trailForm = trailForm;
    this.inner = inner;
  }

  void route(Call c, String path) throws IOException {
    boolean post = c.post();
    switch (path) {
      case "/", "" -> c.redirect("/history");
      case "/signout" -> post(c, post, () -> signin.signout(c));
      case "/history" -> history.page(c);
      case "/charts" -> charts.page(c);
      case "/api/charts" -> charts.data(c);
      case "/api/export" -> post(c, post, () -> exports.start(c));
      case "/api/export/status" -> exports.status(c);
      case "/export/file" -> exports.download(c);
      case "/trails" -> trails.list(c, null, null);
      case "/trails/edit" -> trailForm.form(c, null);
      case "/trails/save" -> post(c, post, () -> trailForm.save(c));
      case "/trails/start", "/trails/stop" ->
          post(c, post, () -> trails.logging(c, path.endsWith("start")));
      case "/trails/backfill" -> post(c, post, () -> trails.backfill(c));
      case "/trails/delete" -> {
        if (post) {
          trails.delete(c);
        } else {
          trails.confirmDelete(c);
        }
      }
      case "/innertrail" -> inner.page(c, null);
      case "/innertrail/save" -> post(c, post, () -> inner.save(c));
      case "/installed" -> inner.installed(c);
      default -> throw new OpenTrailException("NotFound", "There is no console page here.", 404);
    }
  }

  /** An action that changes something: POST only. */
  private interface Action {
    void run() throws IOException;
  }

  private static void post(Call c, boolean post, Action a) throws IOException {
    if (!post) {
      c.resp.setHeader("Allow", "POST");
      throw new OpenTrailException("UnsupportedHTTPMethod", "This action needs a POST.", 405);
    }
    a.run();
  }
}

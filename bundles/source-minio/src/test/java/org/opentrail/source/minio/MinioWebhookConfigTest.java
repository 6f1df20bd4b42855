package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.IdentityRegistry;
import org.osgi.util.converter.Converters;

/** A sender configured wrong does not start, and the error names the configuration key. */
class MinioWebhookConfigTest {
  @TempDir Path dir;

  String refusal(Map<String, Object> properties) throws Exception {
    IdentityRegistry ids = new IdentityRegistry(AuthPaths.under(dir), "1234567890123456");
    MinioWebhook.Config config =
        Converters.standardConverter().convert(properties).to(MinioWebhook.Config.class);
    return assertThrows(
            IllegalArgumentException.class, () -> new MinioWebhook(null, null, ids, config))
        .getMessage();
  }

  static Map<String, Object> valid() {
    Map<String, Object> m = new HashMap<>();
    m.put("instance", "prod");
    m.put("auth.token.sha256", WebhookFixture.sha256("t"));
    return m;
  }

  @Test
  void eachWrongKeyIsNamed() throws Exception {
    Map<String, Object> noToken = valid();
    noToken.remove("auth.token.sha256");
    assertTrue(refusal(noToken).contains("auth.token.sha256"));
    Map<String, Object> rawToken = valid();
    rawToken.put("auth.token.sha256", "Bearer my-token");
    assertTrue(refusal(rawToken).contains("the token itself is never configured"));
    Map<String, Object> instance = valid();
    instance.put("instance", "Prod!");
    assertTrue(refusal(instance).contains("instance='Prod!'"));
    Map<String, Object> account = valid();
    account.put("account.id", "12");
    assertTrue(refusal(account).contains("account.id='12'"));
    Map<String, Object> body = valid();
    body.put("max.body.bytes", 10);
    assertTrue(refusal(body).contains("max.body.bytes=10"));
  }
}

package org.opentrail.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EndpointCheckTest {
  @Test
  void plainHttpOffLoopbackIsInsecure() {
    assertTrue(EndpointCheck.insecure("http://10.0.0.5:8181/"));
    assertTrue(EndpointCheck.insecure("http://0.0.0.0:8181/"));
    assertTrue(EndpointCheck.insecure("http://audit.example.com:80/"));
    assertTrue(EndpointCheck.insecure("http://[2001:db8::1]:8181/"));
    assertFalse(EndpointCheck.insecure("http://127.0.0.1:8181/"));
    assertFalse(EndpointCheck.insecure("http://localhost:8181/"));
    assertFalse(EndpointCheck.insecure("http://[::1]:8181/"));
    assertFalse(EndpointCheck.insecure("https://10.0.0.5:8443/"));
    assertFalse(EndpointCheck.insecure("not a url"));
  }
}

package org.opentrail.sink.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.opensearch.client.RestClient;
import org.opensearch.client.RestClientBuilder;

/**
 * Builds the OpenSearch low-level REST client for a destination: basic authentication or an API
 * key, TLS with the JVM's trust store plus the operator's CA file (host names verified; there is no
 * trust-all), and the operator's timeouts.
 */
final class Clients {
  private Clients() {}

  /**
   * A client for {@code d}.
   *
   * @throws IOException if the CA certificate file cannot be read or holds no certificate
   */
  static RestClient open(Destination d, Server server) throws IOException {
    Endpoint e = d.endpoint();
    RestClientBuilder b = RestClient.builder(new HttpHost(e.host(), e.port(), e.scheme()));
    if (d.apiKey() != null) {
      b.setDefaultHeaders(
          new Header[] {new BasicHeader(HttpHeaders.AUTHORIZATION, "ApiKey " + d.apiKey())});
    }
    SSLContext ssl = e.scheme().equals("https") ? sslContext(server) : null;
    b.setHttpClientConfigCallback(
        h -> {
          if (d.username() != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(
                AuthScope.ANY, new UsernamePasswordCredentials(d.username(), d.password()));
            h.setDefaultCredentialsProvider(credentials);
          }
          if (ssl != null) {
            h.setSSLContext(ssl);
          }
          return h.setMaxConnTotal(8).setMaxConnPerRoute(8);
        });
    b.setRequestConfigCallback(
        r ->
            r.setConnectTimeout(server.connectTimeoutMs())
                .setSocketTimeout(server.socketTimeoutMs()));
    b.setCompressionEnabled(false);
    return b.build();
  }

  /** The JVM's trusted CAs, plus the operator's CA file if there is one. */
  private static SSLContext sslContext(Server server) throws IOException {
    try {
      if (server.caCertificate() == null) {
        return SSLContext.getDefault();
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509TrustManager tm : jvmTrustManagers()) {
        for (X509Certificate c : tm.getAcceptedIssuers()) {
          store.setCertificateEntry("jvm-" + n++, c);
        }
      }
      List<Certificate> own = new ArrayList<>();
      try (InputStream in = Files.newInputStream(server.caCertificate())) {
        own.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      if (own.isEmpty()) {
        throw new IOException(
            "tls.ca.certificate " + server.caCertificate() + " holds no PEM certificate");
      }
      for (Certificate c : own) {
        store.setCertificateEntry("ca-" + n++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException ex) {
      throw new IOException(
          "cannot set up TLS with tls.ca.certificate " + server.caCertificate() + ": " + ex, ex);
    }
  }

  private static List<X509TrustManager> jvmTrustManagers() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    List<X509TrustManager> out = new ArrayList<>();
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        out.add(x);
      }
    }
    return out;
  }
}

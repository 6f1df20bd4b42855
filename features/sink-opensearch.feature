# sink-opensearch: sink type "opensearch", ActionTrail's Log Service delivery into an OpenSearch 2
# (or Elasticsearch 7.8+) index actiontrail_<trail>. The REST client and Apache HttpClient are inside
# the bundle; the operator's server settings are <data>/etc/org.opentrail.sink.opensearch.cfg
# (sample: features/sink-opensearch.cfg). Not installed by default: add it with --features.
include trail
org.opentrail:org.opentrail.sink.opensearch

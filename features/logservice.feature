# logservice: Log Service's REST API (ListLogStores, GetLogs, GetHistograms, ListShards, GetCursor,
# PullLogs, consumer groups) over OpenTrail's logstores on the HTTP API's listener, so that Log
# Service's official SDK works against them (docs/logservice-api.md). protobuf-java and lz4-java
# encode PullLogs' answers.
include http
include consume
include logsearch
com.google.protobuf:protobuf-java
at.yawk.lz4:lz4-java
org.opentrail:org.opentrail.logservice

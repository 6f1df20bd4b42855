# logsearch: Log Service-style search and histograms over logstores and the history (a Lucene
# index per stream); the log:* commands are in the shell bundle and appear once this is installed.
include core
org.opentrail:org.opentrail.logsearch

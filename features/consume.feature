# consume: stream consumption of logstores (Log Service's GetCursor, PullLogs and consumer groups);
# the consume:* commands are in the shell bundle and appear once this is installed.
include core
org.opentrail:org.opentrail.consume

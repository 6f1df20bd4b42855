# sink-logstore: sink type "logstore", ActionTrail's Log Service delivery into a logstore actiontrail_<trail>.
include trail
org.opentrail:org.opentrail.sink.logstore

# sink-file: sink type "file", ActionTrail's OSS delivery onto the local file system (<data>/oss).
include trail
org.opentrail:org.opentrail.sink.file

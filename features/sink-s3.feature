# sink-s3: sink type "s3", ActionTrail's OSS delivery onto S3-compatible object storage (AWS S3,
# MinIO, Ceph RGW, ...). The AWS SDK for Java v2 is embedded in the bundle: nothing else to install.
# Not in the default feature list: add it with --features, or drop the bundle into deploy/.
# Its operator configuration is PID org.opentrail.sink.s3 (sample: sink-s3.cfg beside this file).
include trail
org.opentrail:org.opentrail.sink.s3

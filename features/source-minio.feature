# source-minio: MinIO's audit webhook (audit_webhook) as ActionTrail events of service MinIO at
# /sources/minio/<instance>, one factory configuration org.opentrail.source.minio per sender;
# lifecycle, replication, healing, scanner and decommission operations go to the inner trail.
include http
org.opentrail:org.opentrail.source.minio

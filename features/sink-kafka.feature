# sink-kafka: sink type "kafka", a topic per trail (actiontrail_<trail>) for downstream consumers,
# written by the Kafka client embedded in the sink bundle (docs/sinks/kafka.md). Not installed by
# default: add it with --features ...,sink-kafka, or drop its bundles into <data>/deploy. Its
# operator configuration is sink-kafka.cfg beside this file, copied to
# <data>/etc/org.opentrail.sink.kafka.cfg. zstd-jni (compression zstd) comes with core.
include trail
at.yawk.lz4:lz4-java
org.opentrail:org.opentrail.sink.kafka

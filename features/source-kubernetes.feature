# source-kubernetes: the Kubernetes API server's audit webhook (audit.k8s.io/v1 EventList), received
# at /sources/kubernetes/<instance> on the HTTP whiteboard, one factory configuration
# org.opentrail.source.kubernetes~<instance> per cluster.
include http
org.opentrail:org.opentrail.source.kubernetes

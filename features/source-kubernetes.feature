# source-kubernetes: the Kubernetes API server's audit webhook (audit.k8s.io/v1 EventList), received
# at /sources/kubernetes/<instance> on the HTTP whiteboard, one factory configuration per cluster
# (<data>/etc/org.opentrail.source.kubernetes-<instance>.cfg with instance and auth.token.sha256).
include http
org.opentrail:org.opentrail.source.kubernetes

# alerts: Log Service-style alert rules on logstores and the history (scheduled searches, signed
# webhooks, AlertFired events); the alert:* commands are in the shell bundle and appear once this is
# installed. Webhook hosts are allowed in the configuration PID org.opentrail.alerts.
include core
include logsearch
org.opentrail:org.opentrail.alerts

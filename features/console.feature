# console: the web console at http://<API address>/console/ on the HTTP API's listener: sign-in with
# a RAM user's console password (auth:password), event history, charts, trails, inner trail.
include http
org.opentrail:org.opentrail.console

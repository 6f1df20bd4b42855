# http: ActionTrail's OpenAPI (RPC style, version 2020-07-06) and RAM's identity operations over
# HTTP, on the OSGi HTTP whiteboard with Felix HTTP Jetty; every call signed, authorized, recorded.
include auth
include trail
org.apache.felix:org.apache.felix.http.servlet-api
commons-io:commons-io
commons-fileupload:commons-fileupload
org.apache.felix:org.apache.felix.http.jetty12
org.opentrail:org.opentrail.http

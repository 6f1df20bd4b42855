# shell: the Gogo command runtime, Felix's basic commands (lb, start, stop, ...) and OpenTrail's own.
include core
org.apache.felix:org.apache.felix.gogo.runtime
org.apache.felix:org.apache.felix.gogo.command
org.opentrail:org.opentrail.shell

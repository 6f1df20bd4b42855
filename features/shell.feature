# shell: the Gogo command runtime, Felix's basic commands (lb, start, stop, ...) and OpenTrail's own;
# with auth, whose identities say which account a command acts for by default.
include auth
org.apache.felix:org.apache.felix.gogo.runtime
org.apache.felix:org.apache.felix.gogo.command
org.opentrail:org.opentrail.shell

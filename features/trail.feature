# trail: trails and the delivery engine (destinations wait until a sink type for them is installed).
include core
org.opentrail:org.opentrail.trail

# trail: trails and the delivery engine (destinations wait until a sink type for them is installed,
# and deliver only while their account grants the delivery role, which the auth bundle keeps).
include auth
org.opentrail:org.opentrail.trail

# auth: accounts, users, access keys, policies and roles (RAM's model), request signatures
# (HMAC-SHA1 v1.0 and ACS3-HMAC-SHA256) and the delivery role trails need before they deliver.
include core
org.opentrail:org.opentrail.auth

# selfaudit: the platform audits its own administration: operator commands (one event per command
# that changes something), bundle and configuration changes, and its own start and stop.
include shell
org.opentrail:org.opentrail.selfaudit

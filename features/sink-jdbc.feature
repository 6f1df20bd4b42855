# sink-jdbc: sink type "jdbc", ActionTrail's MaxCompute delivery into a warehouse table
# (PostgreSQL first). The driver registers an OSGi DataSourceFactory (org.osgi.service.jdbc);
# add another driver bundle next to it to deliver to any JDBC URL it accepts.
# Configure the default database in org.opentrail.sink.jdbc.cfg (sample: sink-jdbc.cfg).
include trail
org.osgi:org.osgi.service.jdbc
org.postgresql:postgresql
org.opentrail:org.opentrail.sink.jdbc

# core: the event store, the recorder and LookupEvents, wired by Declarative Services, with
# Configuration Admin (with Felix's interpolation plugin for $[secret:..] and $[env:..] values) and
# hot deployment (bundles and .cfg files) through File Install.
include logging
org.osgi:org.osgi.util.function
org.osgi:org.osgi.util.promise
org.osgi:org.osgi.service.component
org.apache.felix:org.apache.felix.configadmin
org.osgi:org.osgi.util.converter
org.apache.felix:org.apache.felix.configadmin.plugin.interpolation
org.apache.felix:org.apache.felix.fileinstall
org.apache.felix:org.apache.felix.scr
com.fasterxml.jackson.core:jackson-core
com.github.luben:zstd-jni
org.opentrail:org.opentrail.api
org.opentrail:org.opentrail.store
org.opentrail:org.opentrail.recorder
org.opentrail:org.opentrail.query

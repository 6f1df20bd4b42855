# logging: SLF4J 2 with Logback. SPI Fly (a framework extension) lets slf4j-api find Logback
# through java.util.ServiceLoader inside OSGi; without it no bundle importing org.slf4j resolves.
org.apache.aries.spifly:org.apache.aries.spifly.dynamic.framework.extension
org.slf4j:slf4j-api
ch.qos.logback:logback-core
ch.qos.logback:logback-classic

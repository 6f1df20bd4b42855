package org.opentrail.sink.file;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the file sink (PID {@code org.opentrail.sink.file}). */
@ObjectClassDefinition(
    name = "OpenTrail file sink",
    description = "Where the file sink keeps its buckets.")
public @interface FileSinkConfig {
  String PID = "org.opentrail.sink.file";

  @AttributeDefinition(
      description =
          "Directory holding the buckets; empty means <opentrail.data>/oss. Trails cannot write outside it.")
  String root() default "";

  @AttributeDefinition(description = "gzip level of delivered files, 1 (fastest) to 9 (smallest).")
  int gzip_level() default 1;
}

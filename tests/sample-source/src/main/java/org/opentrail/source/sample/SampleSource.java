package org.opentrail.source.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.RecordResult;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A sample event source for the fictional service "SampleService": it records an event when it
 * starts (so one can see that a freshly deployed source is bound to the recorder) and offers {@code
 * sample:emit} to record more.
 */
@Component(
    immediate = true,
    service = SampleSource.class,
    property = {"osgi.command.scope=sample", "osgi.command.function=emit"})
public final class SampleSource {
  public static final String SERVICE = "SampleService";

  private final EventRecorder recorder;
  private final String account;

  /** Records for the installation's account (a vendor's source would have it configured). */
  @Activate
  public SampleSource(@Reference EventRecorder recorder, BundleContext context) {
    this.recorder = recorder;
    this.account = context.getProperty("opentrail.account.id");
    recorder.record(account, List.of(event("SourceStarted", "Write", "sample-source")));
  }

  @Descriptor("Record events of SampleService, as a vendor's source would")
  public String emit(
      @Descriptor("how many events")
          @Parameter(
              names = {"-c", "--count"},
              absentValue = "1")
          int count,
      @Descriptor("the user the events are by")
          @Parameter(
              names = {"-u", "--user"},
              absentValue = "sample-user")
          String user) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          event(
              i % 2 == 0 ? "DescribeWidgets" : "UpdateWidget",
              i % 2 == 0 ? "Read" : "Write",
              user));
    }
    RecordResult r = recorder.record(account, events);
    return r.accepted() + " events recorded";
  }

  private static Event event(String name, String rw, String user) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventName", name);
    e.put("eventRW", rw);
    e.put("eventType", "ApiCall");
    e.put("eventSource", "sample.example.com");
    e.put("serviceName", SERVICE);
    e.put("userIdentity", Map.of("type", "ram-user", "userName", user));
    e.put("resourceType", "ACS::Sample::Widget");
    e.put("resourceName", "widget-1");
    return Event.of(e);
  }
}

package org.opentrail.api.event;

/** ActionTrail's event field names, spelled as they appear in the event JSON. */
public final class EventFields {
  public static final String EVENT_ID = "eventId";
  public static final String EVENT_VERSION = "eventVersion";
  public static final String EVENT_TIME = "eventTime";
  public static final String EVENT_NAME = "eventName";
  public static final String EVENT_RW = "eventRW";
  public static final String EVENT_TYPE = "eventType";
  public static final String EVENT_CATEGORY = "eventCategory";
  public static final String EVENT_SOURCE = "eventSource";
  public static final String SERVICE_NAME = "serviceName";
  public static final String ACS_REGION = "acsRegion";
  public static final String API_VERSION = "apiVersion";
  public static final String REQUEST_ID = "requestId";
  public static final String SOURCE_IP_ADDRESS = "sourceIpAddress";
  public static final String USER_AGENT = "userAgent";
  public static final String REQUEST_PARAMETERS = "requestParameters";
  public static final String RESPONSE_ELEMENTS = "responseElements";
  public static final String RESOURCE_TYPE = "resourceType";
  public static final String RESOURCE_NAME = "resourceName";
  public static final String REFERENCED_RESOURCES = "referencedResources";
  public static final String RECIPIENT_ACCOUNT_ID = "recipientAccountId";
  public static final String ERROR_CODE = "errorCode";
  public static final String ERROR_MESSAGE = "errorMessage";
  public static final String IS_GLOBAL = "isGlobal";
  public static final String ADDITIONAL_EVENT_DATA = "additionalEventData";
  public static final String USER_IDENTITY = "userIdentity";

  /**
   * OpenTrail's addition: who recorded the event (see {@link Provenance}). Set by the recorder
   * only; an event handed to it with this field is rejected.
   */
  public static final String RECORDED_BY = "recordedBy";

  /** Fields of {@link #USER_IDENTITY}. */
  public static final String IDENTITY_TYPE = "type";

  public static final String IDENTITY_ACCOUNT_ID = "accountId";
  public static final String IDENTITY_PRINCIPAL_ID = "principalId";
  public static final String IDENTITY_USER_NAME = "userName";
  public static final String IDENTITY_ACCESS_KEY_ID = "accessKeyId";
  public static final String IDENTITY_SESSION_CONTEXT = "sessionContext";

  /** {@link #EVENT_RW} values. */
  public static final String READ = "Read";

  public static final String WRITE = "Write";

  private EventFields() {}
}

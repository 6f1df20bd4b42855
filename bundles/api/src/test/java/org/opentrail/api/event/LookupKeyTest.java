package org.opentrail.api.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.InvalidParameterException;

class LookupKeyTest {
  @Test
  void resourcesComeFromTheNamesAndTheReferencedResources() {
    Event e =
        Event.of(
            Map.of(
                "resourceType", "ACS::ECS::Instance;ACS::ECS::Disk",
                "resourceName", "i-1; d-1",
                "referencedResources",
                    Map.of(
                        "ACS::ECS::Instance",
                        List.of("i-1", "i-2"),
                        "ACS::VPC::VPC",
                        List.of("vpc-9"))));
    assertEquals(
        List.of("ACS::ECS::Instance", "ACS::ECS::Disk"),
        LookupKey.RESOURCE_TYPE.valuesOf(e).subList(0, 2));
    assertTrue(LookupKey.RESOURCE_TYPE.valuesOf(e).contains("ACS::VPC::VPC"));
    assertEquals(
        4,
        LookupKey.RESOURCE_NAME.valuesOf(e).size(),
        LookupKey.RESOURCE_NAME.valuesOf(e).toString());
  }

  @Test
  void identityAttributesComeFromUserIdentity() {
    Event e = Event.of(Map.of("userIdentity", Map.of("userName", "alice", "accessKeyId", "LTAI1")));
    assertEquals(List.of("alice"), LookupKey.USER.valuesOf(e));
    assertEquals(List.of("LTAI1"), LookupKey.EVENT_ACCESS_KEY_ID.valuesOf(e));
    assertEquals(List.of(), LookupKey.EVENT_NAME.valuesOf(e));
  }

  @Test
  void actionTrailNamesAreExactAndUnknownOnesNameTheParameter() {
    assertEquals(
        LookupKey.EVENT_RW, LookupKey.fromActionTrailName("EventRW", "LookupAttribute.1.Key"));
    InvalidParameterException e =
        assertThrows(
            InvalidParameterException.class,
            () -> LookupKey.fromActionTrailName("eventrw", "LookupAttribute.2.Key"));
    assertEquals("LookupAttribute.2.Key", e.parameter());
    assertTrue(
        e.getMessage().contains("EventAccessKeyId"), "lists the valid keys: " + e.getMessage());
  }
}

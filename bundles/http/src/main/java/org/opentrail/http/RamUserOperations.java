package org.opentrail.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.auth.AccessKey;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.NewAccessKey;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.auth.User;

/**
 * RAM's user and access key operations (API version 2015-05-01), with RAM's parameter and response
 * names: CreateUser, GetUser, ListUsers, DeleteUser, CreateAccessKey, UpdateAccessKey,
 * DeleteAccessKey and ListAccessKeys. Called without {@code UserName}, the access key operations
 * act on the caller's own keys, as in RAM.
 */
final class RamUserOperations {
  private static final String USER = "ACS::RAM::User";

  private final IdentityService identities;

  RamUserOperations(IdentityService identities) {
    this.identities = identities;
  }

  List<Operation> operations() {
    return List.of(
        user("CreateUser")
            .write()
            .parameters("UserName", "DisplayName", "Comments", "Email", "MobilePhone")
            .handler(
                r ->
                    Map.of(
                        "User",
                        user(
                            identities.createUser(
                                r.account(), r.required("UserName"), r.optional("DisplayName"))))),
        user("GetUser")
            .parameters("UserName")
            .handler(
                r -> Map.of("User", user(identities.getUser(r.account(), r.required("UserName"))))),
        Operation.of("ram", Operation.RAM_VERSION, "ListUsers")
            .parameters("Marker", "MaxItems")
            .handler(
                r ->
                    page(
                        r,
                        identities.listUsers(r.account()),
                        User::userName,
                        RamUserOperations::user,
                        "Users",
                        "User")),
        user("DeleteUser")
            .write()
            .parameters("UserName")
            .handler(
                r -> {
                  identities.deleteUser(r.account(), r.required("UserName"));
                  return new LinkedHashMap<>();
                }),
        key("CreateAccessKey").write().parameters("UserName").handler(this::createKey),
        key("UpdateAccessKey")
            .write()
            .parameters("UserName", "UserAccessKeyId", "Status")
            .handler(
                r -> {
                  String status = r.required("Status");
                  if (!status.equals("Active") && !status.equals("Inactive")) {
                    throw new InvalidParameterException(
                        "InvalidParameter.Status",
                        "Status",
                        "The parameter Status must be Active or Inactive, not '"
                            + ApiRequest.clip(status)
                            + "'.");
                  }
                  identities.setAccessKeyActive(
                      r.account(),
                      owner(r),
                      r.required("UserAccessKeyId"),
                      status.equals("Active"));
                  return new LinkedHashMap<>();
                }),
        key("DeleteAccessKey")
            .write()
            .parameters("UserName", "UserAccessKeyId")
            .handler(
                r -> {
                  identities.deleteAccessKey(r.account(), owner(r), r.required("UserAccessKeyId"));
                  return new LinkedHashMap<>();
                }),
        key("ListAccessKeys")
            .parameters("UserName")
            .handler(
                r -> {
                  List<Object> keys = new ArrayList<>();
                  for (AccessKey k : identities.listAccessKeys(r.account(), owner(r))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("AccessKeyId", k.accessKeyId());
                    m.put("Status", k.active() ? "Active" : "Inactive");
                    m.put("CreateDate", Times.format(k.createDate()));
                    keys.add(m);
                  }
                  return Map.of("AccessKeys", Map.of("AccessKey", keys));
                }));
  }

  private static Operation.Builder user(String name) {
    return Operation.of("ram", Operation.RAM_VERSION, name).resource("user", "UserName", USER);
  }

  private static Operation.Builder key(String name) {
    return user(name).callerByDefault();
  }

  /** The user whose keys are meant: UserName, else the caller ({@code null} for root). */
  private static String owner(ApiRequest r) {
    String given = r.optional("UserName");
    if (given != null) {
      return given;
    }
    return r.principal.type() == Principal.Type.ROOT ? null : r.principal.userName();
  }

  private Map<String, Object> createKey(ApiRequest r) {
    NewAccessKey k = identities.createAccessKey(r.account(), owner(r));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("AccessKeyId", k.key().accessKeyId());
    m.put("AccessKeySecret", k.secret());
    m.put("Status", "Active");
    m.put("CreateDate", Times.format(k.key().createDate()));
    r.auditNote = "created access key " + k.key().accessKeyId();
    return Map.of("AccessKey", m);
  }

  static Map<String, Object> user(User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("UserId", u.userId());
    m.put("UserName", u.userName());
    m.put("DisplayName", u.displayName() == null ? u.userName() : u.displayName());
    m.put("CreateDate", Times.format(u.createDate()));
    return m;
  }

  /**
   * One page of a RAM list, sorted by name: {@code MaxItems} (1 to 1000, default 100) after the
   * name given as {@code Marker}, with {@code IsTruncated} and the next {@code Marker}.
   */
  static <T> Map<String, Object> page(
      ApiRequest r,
      List<T> all,
      Function<T, String> name,
      Function<T, Map<String, Object>> fields,
      String listName,
      String itemName) {
    Long max = r.number("MaxItems", 1, 1000);
    int limit = max == null ? 100 : max.intValue();
    String marker = r.optional("Marker");
    List<T> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(name));
    List<Object> out = new ArrayList<>();
    String last = null;
    boolean truncated = false;
    for (T t : sorted) {
      if (marker != null && name.apply(t).compareTo(marker) <= 0) {
        continue;
      }
      if (out.size() == limit) {
        truncated = true;
        break;
      }
      out.add(fields.apply(t));
      last = name.apply(t);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("IsTruncated", truncated);
    if (truncated) {
      m.put("Marker", last);
    }
    m.put(listName, Map.of(itemName, out));
    return m;
  }
}

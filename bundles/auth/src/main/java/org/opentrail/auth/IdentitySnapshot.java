package org.opentrail.auth;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.auth.AccountState.KeyEntry;

/**
 * Every account's state at one moment, immutable, with an index of all access keys: what each
 * signed request and each authorization reads, without locks.
 */
public final class IdentitySnapshot {
  static final IdentitySnapshot EMPTY = new IdentitySnapshot(Map.of());

  /** By account id, the first created first. */
  private final Map<String, AccountState> accounts;

  private final Map<String, KeyEntry> keys;

  private IdentitySnapshot(Map<String, AccountState> accounts) {
    this.accounts = Collections.unmodifiableMap(accounts);
    Map<String, KeyEntry> index = new HashMap<>();
    for (AccountState a : accounts.values()) {
      index.putAll(a.keys);
    }
    this.keys = index;
  }

  /** Accounts in the order they were created (ties by id). */
  static IdentitySnapshot of(List<AccountState> accounts) {
    Map<String, AccountState> m = new LinkedHashMap<>();
    accounts.stream()
        .sorted(
            java.util.Comparator.<AccountState, java.time.Instant>comparing(a -> a.createDate)
                .thenComparing(a -> a.accountId))
        .forEach(a -> m.put(a.accountId, a));
    return new IdentitySnapshot(m);
  }

  /** This snapshot with one account added or replaced, its place kept. */
  IdentitySnapshot with(AccountState account) {
    Map<String, AccountState> m = new LinkedHashMap<>(accounts);
    m.put(account.accountId, account);
    return new IdentitySnapshot(m);
  }

  Map<String, AccountState> accounts() {
    return accounts;
  }

  AccountState account(String accountId) {
    return accounts.get(accountId);
  }

  KeyEntry key(String accessKeyId) {
    return accessKeyId == null ? null : keys.get(accessKeyId);
  }
}

package org.opentrail.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The value populations events are drawn from: 20 services with 3 resource types each (60 types),
 * 300 event names (5 per resource type, Read or Write by their verb), 2,000 users with 3,000 access
 * keys, ~200,000 resource names, 5,000 source IPs, 100 user agents and 10 regions.
 *
 * <p>Built from a fixed seed, so a data directory loaded by one run is queried with the same values
 * by a later run ({@code --reuse}). Draws are skewed the way audit trails are: a few users, APIs
 * and resources make most of the calls ({@link Zipf}).
 */
final class Populations {
  static final int RESOURCES_PER_TYPE = 3_334; // x 60 types ~ 200,000 names
  static final int USERS = 2_000;
  static final int IPS = 5_000;
  static final int USER_AGENTS = 100;

  /** One service: its name, endpoint, API version and its resource types. */
  record Service(String name, String endpoint, String apiVersion, List<ResourceType> types) {}

  /** A resource type, e.g. {@code ACS::ECS::Instance}, with the prefix of its resource names. */
  record ResourceType(int index, Service service, String name, String noun, String idPrefix) {}

  /** An API: its name, Read or Write, and the resource type it acts on. */
  record EventName(String name, boolean write, ResourceType type) {}

  /** A RAM user with one or two access keys. */
  record User(String name, String principalId, String[] accessKeys) {}

  /**
   * Per service: name, endpoint, API version, API style (D: Describe/Create/Delete/Modify, G:
   * List/Get/Put/Delete/Update), then three resource types as {@code Noun:idPrefix}.
   */
  private static final String[] SERVICES = {
    "Ecs ecs.aliyuncs.com 2014-05-26 D Instance:i- Disk:d- SecurityGroup:sg-",
    "Oss oss.aliyuncs.com 2013-10-15 G Bucket: Object:obj/ LifecycleRule:lc-",
    "Rds rds.aliyuncs.com 2014-08-15 D DBInstance:rm- Account:acc- Backup:bk-",
    "Slb slb.aliyuncs.com 2014-05-15 D LoadBalancer:lb- Listener:ls- VServerGroup:rsp-",
    "Vpc vpc.aliyuncs.com 2016-04-28 D VPC:vpc- VSwitch:vsw- EIP:eip-",
    "Ram ram.aliyuncs.com 2015-05-01 G User:u- Role:role- Policy:pol-",
    "Sts sts.aliyuncs.com 2015-04-01 G Role:acs:ram::role/ Session:sess- Token:tok-",
    "Kms kms.aliyuncs.com 2016-01-20 D Key:key- Secret:sec- Alias:alias/",
    "Actiontrail actiontrail.aliyuncs.com 2020-07-06 D Trail:trail- DeliveryHistory:dh- AccessKey:ak-",
    "Cms metrics.aliyuncs.com 2019-01-01 D AlarmRule:alarm- MonitorGroup:mg- Contact:ct-",
    "Ess ess.aliyuncs.com 2014-08-28 D ScalingGroup:asg- ScalingRule:asr- ScalingConfiguration:asc-",
    "Cs cs.aliyuncs.com 2015-12-15 D Cluster:c NodePool:np- Addon:addon-",
    "Fc fc.aliyuncs.com 2023-03-30 G Function:fn- Trigger:trg- Alias:fca-",
    "Sls log.aliyuncs.com 2020-12-30 G Project:proj- Logstore:ls- Dashboard:dash-",
    "Nas nas.aliyuncs.com 2017-06-26 D FileSystem:fs- MountTarget:mt- AccessGroup:ag-",
    "Cdn cdn.aliyuncs.com 2018-05-10 D Domain:cdn- Certificate:cert- RefreshTask:rt-",
    "Alidns alidns.aliyuncs.com 2015-01-09 D Domain:dns- DomainRecord:rec- Group:dg-",
    "Kvstore r-kvstore.aliyuncs.com 2015-01-01 D Instance:r- Account:kva- Backup:kvb-",
    "Dds mongodb.aliyuncs.com 2015-12-01 D DBInstance:dds- Node:nd- Backup:ddb-",
    "Polardb polardb.aliyuncs.com 2017-08-01 D DBCluster:pc- Endpoint:pe- Account:pa-",
  };

  private static final String[] FIRST =
      ("alice bob carol dave erin frank grace heidi ivan judy mallory nick olivia peggy quinn"
              + " rupert sybil trent ursula victor wendy xavier yvonne zoe wei li fang jun min hui"
              + " jing lei yan tao xin ying hao lin ming qiang deploy ci backup monitor terraform ops"
              + " audit etl billing release")
          .split(" ");

  private static final String[] LAST =
      ("chen wang zhang liu yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng"
              + " smith jones brown miller davis garcia wilson moore taylor clark bot svc prod"
              + " staging dev batch sync agent job admin")
          .split(" ");

  static final String[] REGIONS =
      ("cn-hangzhou cn-shanghai cn-beijing cn-shenzhen cn-hongkong ap-southeast-1 us-west-1"
              + " eu-central-1 cn-zhangjiakou cn-chengdu")
          .split(" ");

  final List<Service> services = new ArrayList<>();
  final List<ResourceType> types = new ArrayList<>();
  final List<EventName> reads = new ArrayList<>();
  final List<EventName> writes = new ArrayList<>();
  final User[] users = new User[USERS];
  final String[][] resourceNames; // by type index
  final String[] ips = new String[IPS];
  final String[] userAgents = new String[USER_AGENTS];

  Populations() {
    SplittableRandom r = new SplittableRandom(20240601L); // fixed: --reuse must see the same names
    for (String line : SERVICES) {
      String[] s = line.split(" ");
      List<ResourceType> ts = new ArrayList<>();
      Service svc = new Service(s[0], s[1], s[2], ts);
      boolean describeStyle = s[3].equals("D");
      for (int i = 4; i < s.length; i++) {
        String[] np = s[i].split(":", 2);
        String product = s[0].toUpperCase(Locale.ROOT);
        ResourceType t =
            new ResourceType(types.size(), svc, "ACS::" + product + "::" + np[0], np[0], np[1]);
        ts.add(t);
        types.add(t);
        String n = np[0];
        if (describeStyle) {
          reads.add(new EventName("Describe" + plural(n), false, t));
          reads.add(new EventName("Describe" + n + "Attribute", false, t));
          writes.add(new EventName("Create" + n, true, t));
          writes.add(new EventName("Delete" + n, true, t));
          writes.add(new EventName("Modify" + n + "Attribute", true, t));
        } else {
          reads.add(new EventName("List" + plural(n), false, t));
          reads.add(new EventName("Get" + n + "Info", false, t));
          writes.add(new EventName("Put" + n, true, t));
          writes.add(new EventName("Delete" + n, true, t));
          writes.add(new EventName("Update" + n + "Config", true, t));
        }
      }
      services.add(svc);
    }
    // popularity ranks: spread the most called APIs over the services, not all on ECS
    java.util.Collections.shuffle(reads, new java.util.Random(r.nextLong()));
    java.util.Collections.shuffle(writes, new java.util.Random(r.nextLong()));
    for (int u = 0; u < USERS; u++) {
      String name = FIRST[u % FIRST.length] + "." + LAST[u / FIRST.length % LAST.length];
      String principal = Long.toString(200_000_000_000_000_000L + r.nextLong(99_999_999_999_999L));
      // the 1,000 most active users rotate keys: 3,000 access keys in all
      String[] keys = new String[u < 1_000 ? 2 : 1];
      for (int k = 0; k < keys.length; k++) {
        keys[k] = "LTAI5t" + token(r, 18);
      }
      users[u] = new User(name, principal, keys);
    }
    resourceNames = new String[types.size()][RESOURCES_PER_TYPE];
    for (ResourceType t : types) {
      for (int i = 0; i < RESOURCES_PER_TYPE; i++) {
        resourceNames[t.index()][i] =
            t.idPrefix() + (t.idPrefix().isEmpty() ? "bucket-" : "") + token(r, 20);
      }
    }
    for (int i = 0; i < IPS; i++) { // a quarter private (VPC) addresses, the rest public
      int first = i % 4 == 0 ? 10 : 39 + r.nextInt(80);
      ips[i] =
          String.format(
              Locale.ROOT,
              "%d.%d.%d.%d",
              first,
              r.nextInt(256),
              r.nextInt(256),
              1 + r.nextInt(254));
    }
    String[] sdks = {
      "aliyun-sdk-java/4.6.4",
      "aliyun-sdk-go/1.62.712",
      "aliyun-python-sdk-core/2.15.1",
      "AlibabaCloud-Console",
      "aliyun-cli/3.0.204",
      "Terraform/1.7.5 terraform-provider-alicloud/1.219.0",
      "alibabacloud-tea-openapi/0.3.9",
      "ossutil/1.7.19",
      "kubernetes-controller/1.28.3",
      "ros-stack/2024"
    };
    String[] oses = {
      "Linux 5.15.0-105-generic; amd64",
      "Linux 4.19.91-27.al7.x86_64; amd64",
      "Darwin 23.4.0; arm64",
      "Windows 10.0; amd64",
      "Linux 6.1.0-21-cloud-amd64; amd64"
    };
    String[] runtimes = {
      "Java/17.0.10", "Java/1.8.0_402", "Go/1.21.9", "Python/3.11.8", "Node/20.12.1"
    };
    for (int i = 0; i < USER_AGENTS; i++) {
      userAgents[i] =
          String.format(
              Locale.ROOT,
              "AlibabaCloud (%s) %s Core/%d.%d.%d %s",
              oses[i % oses.length],
              runtimes[i / 5 % runtimes.length],
              4 + i % 3,
              i % 10,
              i % 7,
              sdks[i / 10 % sdks.length]);
    }
  }

  private static String plural(String noun) {
    if (noun.endsWith("y") && !noun.endsWith("ey")) {
      return noun.substring(0, noun.length() - 1) + "ies";
    }
    return noun.endsWith("s") ? noun + "es" : noun + "s";
  }

  private static String token(SplittableRandom r, int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  int eventNameCount() {
    return reads.size() + writes.size();
  }

  int resourceNameCount() {
    return types.size() * RESOURCES_PER_TYPE;
  }

  int accessKeyCount() {
    int n = 0;
    for (User u : users) {
      n += u.accessKeys().length;
    }
    return n;
  }
}

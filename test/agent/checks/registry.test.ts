import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Check } from "../../../agent/checks/common";
import { CHECKS, evaluateAll } from "../../../agent/checks/registry";
import { exitCodeFor } from "../../../agent/finding";
import { failed, type CollectError, type ObservedState } from "../../../agent/model";
import { unreadableAgentDeployment } from "../../../agent/collectors/audit-agent";
import { ACCOUNTS, cleanManifest, cleanObserved, HOME, NOW, ORG, OTHER_REGION } from "./fixtures";

const CHECKS_DIR = join(__dirname, "../../../agent/checks");
const AREAS = [
  "organization",
  "trail",
  "archive",
  "kms",
  "detection",
  "log-buckets",
  "iam-roles",
  "detection-pipeline",
  "stackset",
  "audit-agent",
];

describe("registry", () => {
  it("ids are unique", () => {
    const ids = CHECKS.map((c) => c.metadata.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("every check file is registered, under its own name and area", () => {
    const files = AREAS.flatMap((area) =>
      readdirSync(join(CHECKS_DIR, area))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => `${area}/${f.replace(/\.ts$/, "")}`),
    );
    expect(files.length).toBe(70);
    expect(CHECKS.map((c) => `${c.metadata.area}/${c.metadata.id}`).sort()).toEqual(files.sort());
  });

  it.each(CHECKS.map((c) => [c.metadata.id, c] as const))("%s: complete metadata", (_id, c) => {
    const m = c.metadata;
    expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const text of [m.title, m.risk, m.remediation.console, m.remediation.cli, m.remediation.pulumi])
      expect(text.length).toBeGreaterThan(20);
    expect(m.remediation.cli).toMatch(/^aws /);
    expect(m.remediation.pulumi).toMatch(/pulumi up/);
    expect(m.references.length).toBeGreaterThanOrEqual(1);
    for (const r of m.references) expect(r).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|www\.cisecurity\.org)\//);
  });
});

/** Every read failed: the worst day. Nothing may come out as PASS. */
function everythingFailed(): ObservedState {
  const e = (operation: string, account: string, region = HOME): CollectError => ({
    name: "AccessDeniedException",
    message: "denied",
    kind: "access-denied",
    operation,
    service: "x",
    account,
    region,
  });
  const o = cleanObserved();
  o.organization = {
    organizationId: failed(e("DescribeOrganization", ORG.management)),
    accounts: failed(e("ListAccounts", ORG.management)),
    scps: failed(e("ListPolicies", ORG.management)),
    enabledServicePrincipals: failed(e("ListAWSServiceAccessForOrganization", ORG.management)),
    featureSet: failed(e("DescribeOrganization", ORG.management)),
    roots: failed(e("ListRoots", ORG.management)),
    delegatedAdministrators: failed(e("ListDelegatedAdministrators", ORG.management)),
  };
  o.cloudTrail = {
    trails: failed(e("DescribeTrails", ORG.management)),
    status: failed(e("GetTrailStatus", ORG.management)),
    eventSelectors: failed(e("GetEventSelectors", ORG.management)),
  };
  const a = (op: string) => failed<never>(e(op, ORG.logArchive));
  o.archive = {
    ...o.archive,
    policy: a("GetBucketPolicy"),
    objectLock: a("GetObjectLockConfiguration"),
    versioning: a("GetBucketVersioning"),
    encryption: a("GetBucketEncryption"),
    publicAccessBlock: a("GetPublicAccessBlock"),
    ownership: a("GetBucketOwnershipControls"),
  };
  o.archive.newestDeliveryByAccount = Object.fromEntries(
    ACCOUNTS.map((acct) => [acct, { [HOME]: a("ListObjectsV2"), [OTHER_REGION]: a("ListObjectsV2") }]),
  );
  o.flowLogBucket = {
    bucketName: o.flowLogBucket!.bucketName,
    policy: a("GetBucketPolicy"),
    encryption: a("GetBucketEncryption"),
    publicAccessBlock: a("GetPublicAccessBlock"),
  };
  o.dnsQueryLogs = {
    configName: o.dnsQueryLogs!.configName,
    byRegion: { [HOME]: a("ListResolverQueryLogConfigs"), [OTHER_REGION]: a("ListResolverQueryLogConfigs") },
    sharesByRegion: { [HOME]: a("GetResourceShareAssociations"), [OTHER_REGION]: a("GetResourceShareAssociations") },
  };
  o.logBuckets = o.logBuckets!.map((b) => {
    const f = (op: string) => failed<never>(e(op, b.account));
    return {
      ...b,
      policy: f("GetBucketPolicy"),
      versioning: f("GetBucketVersioning"),
      encryption: f("GetBucketEncryption"),
      publicAccessBlock: f("GetPublicAccessBlock"),
      ownership: f("GetBucketOwnershipControls"),
      lifecycle: f("GetBucketLifecycleConfiguration"),
      accessLogging: f("GetBucketLogging"),
    };
  });
  const k = (op: string) => failed<never>(e(op, ORG.security));
  o.athenaCatalog = {
    databaseName: o.athenaCatalog!.databaseName,
    databaseExists: k("GetDatabase"),
    tables: k("GetTables"),
  };
  o.athenaWorkgroup = { name: o.athenaWorkgroup!.name, workgroup: k("GetWorkGroup") };
  o.key = {
    keyArn: o.key.keyArn,
    policy: k("GetKeyPolicy"),
    grants: k("ListGrants"),
    rotationEnabled: k("GetKeyRotationStatus"),
    metadata: k("DescribeKey"),
    alias: k("ListAliases"),
  };
  o.configAggregator = {
    ...o.configAggregator!,
    aggregator: k("DescribeConfigurationAggregators"),
    failedSources: k("DescribeConfigurationAggregatorSourcesStatus"),
  };
  const mk = (op: string) => failed<never>(e(op, ORG.management));
  const r = (op: string) => failed<never>(e(op, ORG.security));
  o.roles = o.roles!.map((role) => ({
    ...role,
    trust: r("GetRole"),
    inlinePolicies: r("ListRolePolicies"),
    managedPolicyArns: r("ListAttachedRolePolicies"),
  }));
  o.memberRoles = o.memberRoles!.map((role) => {
    const m = (op: string) => failed<never>(e(op, role.account));
    return {
      ...role,
      trust: m("GetRole"),
      inlinePolicies: m("ListRolePolicies"),
      managedPolicyArns: m("ListAttachedRolePolicies"),
    };
  });
  o.keys = o.keys!.map((key) => ({
    keyArn: key.keyArn,
    policy: mk("GetKeyPolicy"),
    grants: mk("ListGrants"),
    rotationEnabled: mk("GetKeyRotationStatus"),
    metadata: mk("DescribeKey"),
    alias: mk("ListAliases"),
  }));
  o.guardDutyOrganization = {
    ...o.guardDutyOrganization!,
    regions: o.guardDutyOrganization!.regions.map((g) => ({
      region: g.region,
      adminAccounts: failed(e("ListOrganizationAdminAccounts", ORG.management, g.region)),
      configuration: failed(e("DescribeOrganizationConfiguration", ORG.security, g.region)),
    })),
  };
  o.logGroup = failed(e("DescribeLogGroups", ORG.management));
  o.memberBaseline = {
    stackSet: {
      ...o.memberBaseline!.stackSet,
      stackSet: failed(e("DescribeStackSet", ORG.management)),
      instances: failed(e("ListStackInstances", ORG.management)),
    },
    directStacks: o.memberBaseline!.directStacks.map((d) => ({
      ...d,
      stack: failed(e("DescribeStacks", d.account, d.region)),
    })),
    driftSchedule: { ...o.memberBaseline!.driftSchedule!, schedule: failed(e("GetSchedule", ORG.management)) },
  };
  const sh = (op: string, account: string, region: string) => failed<never>(e(op, account, region));
  o.securityHub = {
    adminAccountsByRegion: {
      [HOME]: sh("ListOrganizationAdminAccounts", ORG.management, HOME),
      [OTHER_REGION]: sh("ListOrganizationAdminAccounts", ORG.management, OTHER_REGION),
    },
    organizationConfigurationByRegion: { [HOME]: sh("DescribeOrganizationConfiguration", ORG.security, HOME) },
    configurationPolicies: sh("ListConfigurationPolicies", ORG.security, HOME),
    rootAssociation: sh("GetConfigurationPolicyAssociation", ORG.security, HOME),
    findingAggregators: sh("ListFindingAggregators", ORG.security, HOME),
    enabledStandardsByRegion: {
      [HOME]: sh("GetEnabledStandards", ORG.security, HOME),
      [OTHER_REGION]: sh("GetEnabledStandards", ORG.security, OTHER_REGION),
    },
  };
  o.manifestParameter = {
    ...o.manifestParameter!,
    metadata: failed(e("DescribeParameters", ORG.security)),
    tags: failed(e("ListTagsForResource", ORG.security)),
  };
  o.cis = {
    logGroupName: o.cis.logGroupName,
    filters: failed(e("DescribeMetricFilters", ORG.management)),
    alarms: failed(e("DescribeAlarms", ORG.management)),
  };
  o.integrity = {
    ...o.integrity!,
    scopes: o.integrity!.scopes.map((s) => ({ ...s, result: failed(e("GetObject", s.account, s.region)) })),
  };
  o.detection = o.detection.map((d) => {
    const f = (op: string) => failed<never>(e(op, d.account, d.region));
    return {
      account: d.account,
      region: d.region,
      configRecorders: f("DescribeConfigurationRecorders"),
      configDeliveryChannels: f("DescribeDeliveryChannels"),
      guardDutyDetectors: f("ListDetectors"),
      securityHubEnabled: f("DescribeHub"),
      inspector: f("BatchGetAccountStatus"),
      ssmAssociations: f("ListAssociations"),
      forwardingRules: f("DescribeRule"),
      network: {
        vpcs: f("DescribeVpcs"),
        flowLogs: f("DescribeFlowLogs"),
        dnsQueryLogAssociations: f("ListResolverQueryLogConfigAssociations"),
      },
    };
  });
  o.auditAgent = unreadableAgentDeployment(
    cleanManifest().auditAgent!,
    ORG.security,
    HOME,
    e("DescribeAlarms", ORG.security),
  );
  o.inspectorOrganization = {
    ...o.inspectorOrganization!,
    byRegion: Object.fromEntries(
      [HOME, OTHER_REGION].map((r) => [
        r,
        {
          delegatedAdmins: failed(e("ListDelegatedAdminAccounts", ORG.management, r)),
          configuration: failed(e("DescribeOrganizationConfiguration", ORG.security, r)),
          members: failed(e("ListMembers", ORG.security, r)),
        },
      ]),
    ),
  };
  const topicFailed = (op: string, account: string) => failed<never>(e(op, account));
  o.detectionPipeline = {
    topics: o.detectionPipeline!.topics.map((t) => ({
      ...t,
      attributes: topicFailed("GetTopicAttributes", t.account),
      subscriptions: topicFailed("ListSubscriptionsByTopic", t.account),
    })),
    bus: {
      ...o.detectionPipeline!.bus,
      bus: k("DescribeEventBus"),
      rules: o.detectionPipeline!.bus.rules.map((r) => ({
        ...r,
        rule: k("DescribeRule"),
        targets: k("ListTargetsByRule"),
      })),
    },
  };
  return o;
}

describe("evaluateAll", () => {
  it("a clean organization: every check reports, nothing but PASS and the management account's NOT_APPLICABLE", () => {
    const f = evaluateAll(cleanObserved(), cleanManifest(), NOW);
    expect(new Set(f.map((x) => x.checkId))).toEqual(new Set(CHECKS.map((c) => c.metadata.id)));
    expect(f.filter((x) => x.status !== "PASS").map((x) => [x.checkId, x.account, x.status])).toEqual([
      ["accounts-enrolled", ORG.management, "NOT_APPLICABLE"],
      ["scp-effective-path", ORG.management, "NOT_APPLICABLE"],
    ]);
    expect(exitCodeFor(f)).toBe(0);
  });

  it("every read failed: every check reports ERROR with the AWS error name, none PASS", () => {
    const f = evaluateAll(everythingFailed(), cleanManifest(), NOW);
    expect(new Set(f.map((x) => x.checkId))).toEqual(new Set(CHECKS.map((c) => c.metadata.id)));
    expect(f.filter((x) => x.status !== "ERROR")).toEqual([]);
    expect(f.every((x) => x.error?.name === "AccessDeniedException")).toBe(true);
    expect(exitCodeFor(f)).toBe(3);
  });

  it("every account unreachable: nothing PASSes", () => {
    const o = cleanObserved();
    for (const a of ACCOUNTS)
      o.unreachableAccounts[a] = {
        name: "AccessDenied",
        message: "not authorized to perform sts:AssumeRole",
        kind: "access-denied",
        operation: "AssumeRole",
        service: "sts",
        account: a,
        region: "global",
      };
    const passing = evaluateAll(o, cleanManifest(), NOW).filter(
      (x) => x.status === "PASS" || x.status === "NOT_APPLICABLE",
    );
    // Organizations data is read from the management account, so with it unreachable even account placement is unknown.
    // trail-log-integrity reads as the log auditor role, never through the read role, so the read role's failure does not touch it.
    expect(passing.map((x) => x.checkId).filter((id) => id !== "trail-log-integrity")).toEqual([]);
  });

  it("a check that throws becomes an ERROR finding naming the check, and the others still run", () => {
    const broken: Check = {
      metadata: { ...CHECKS[0].metadata, id: "broken" },
      evaluate: () => {
        throw new TypeError("cannot read properties of undefined (reading 'x')");
      },
    };
    const f = evaluateAll(cleanObserved(), cleanManifest(), NOW, [broken, CHECKS[1]]);
    expect(f[0]).toMatchObject({
      checkId: "broken",
      status: "ERROR",
      error: {
        name: "TypeError",
        operation: "check:broken",
        message: "cannot read properties of undefined (reading 'x')",
      },
      message:
        "Check broken failed inside the agent (TypeError: cannot read properties of undefined (reading 'x')); its result is unknown. Report this as a bug of the audit agent.",
    });
    expect(f.slice(1).every((x) => x.checkId === CHECKS[1].metadata.id)).toBe(true);
  });

  it("a check that returns nothing becomes an ERROR finding", () => {
    const silent: Check = { metadata: { ...CHECKS[0].metadata, id: "silent" }, evaluate: () => [] };
    expect(evaluateAll(cleanObserved(), cleanManifest(), NOW, [silent])).toEqual([
      expect.objectContaining({
        checkId: "silent",
        status: "ERROR",
        error: expect.objectContaining({ name: "EmptyResult" }),
      }),
    ]);
  });
});

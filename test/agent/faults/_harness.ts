/**
 * Fault-test plumbing: a sandbox organization seeded into the worker's moto server, audited by the
 * real runAuditDetailed() through the fault proxy, over HTTP end to end. Nothing is mocked in the
 * process; what moto lacks is answered by the proxy itself (so it is faulted like everything else):
 *  - SSM ListAssociations / DescribeAssociation (moto: 500): the recorded answers of a healthy
 *    member account (the same ones test/agent/scenarios/_harness.ts records), in awsJson wire form;
 *  - GetTrailStatus: moto's answer with its delivery times pinned to the run's `now` (moto says
 *    "now" on every call and never fills the CloudWatch Logs and digest times), at the offsets AWS
 *    shows for a healthy trail, so two runs over the same state can be compared exactly;
 *  - Config DescribeDeliveryChannelStatus and DescribeConfigurationAggregatorSourcesStatus (moto:
 *    not implemented): a healthy channel's deliveries (test/agent/scenarios/_recorded-config.ts
 *    records the same) and no FAILED aggregator source;
 *  - GuardDuty DescribeOrganizationConfiguration (moto: not implemented): the organization
 *    configuration infra lays from the sandbox's guardDuty area (test/agent/scenarios/_recorded-guardduty.ts
 *    records the same), in GuardDuty's rest-json wire form;
 *  - Security Hub ListOrganizationAdminAccounts, the configuration policy and its root association,
 *    the finding aggregator and GetEnabledStandards (moto: not implemented): the setup infra lays from
 *    the sandbox's securityHub area (test/agent/scenarios/_recorded-securityhub.ts, the same record the
 *    scenarios serve), in Security Hub's rest-json wire form (its member names are the SDK's).
 */
import { runAuditDetailed } from "../../../agent/run-audit";
import { SANDBOX_GUARDDUTY } from "../../../agent/sandbox/layout";
import { recordedOrganizationConfiguration } from "../scenarios/_recorded-guardduty";
import { recordedSecurityHubAnswers } from "../scenarios/_recorded-securityhub";
import type { AuditManifest } from "../../../baseline";
import { seedSandboxOrganization, type Sandbox } from "../../../agent/sandbox/seed";
import type { AuditResult, Finding } from "../../../agent/finding";
import type { AuditOptions } from "../../../agent/options";
import {
  FaultProxy,
  type Answer,
  type FaultRates,
  type FaultRule,
  type Interceptor,
  type ProxyStats,
  type RequestInfo,
} from "../../support/fault-proxy";

/** GuardDuty's rest-json member names are the SDK's with a lower-case first letter. */
const wireNames = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(wireNames)
    : v && typeof v === "object"
      ? Object.fromEntries(
          Object.entries(v)
            .filter(([k]) => k !== "$metadata")
            .map(([k, x]) => [k.charAt(0).toLowerCase() + k.slice(1), wireNames(x)]),
        )
      : v;
const ORG_CONFIGURATION: Answer = {
  status: 200,
  headers: { "content-type": "application/json" },
  body: Buffer.from(JSON.stringify(wireNames(recordedOrganizationConfiguration(SANDBOX_GUARDDUTY)))),
};

const PACKAGE_ASSOCIATION = "fa94c678-85c6-4d40-926b-7c7910123456";
const seconds = (iso: string) => Date.parse(iso) / 1000;

const json = (value: unknown): Answer => ({
  status: 200,
  headers: { "content-type": "application/x-amz-json-1.1" },
  body: Buffer.from(JSON.stringify(value)),
});

/** Recorded ListAssociations of the agents baseline (ids as AWS shapes them), on the wire. */
const ASSOCIATIONS = {
  Associations: [
    [
      "AWS-UpdateSSMAgent",
      "8dfe3659-4309-493a-8755-0123456789ab",
      "orgwarden-ssm-agent-update",
      "2026-03-01T06:00:12.345Z",
      "rate(14 days)",
    ],
    [
      "AWS-ConfigureAWSPackage",
      PACKAGE_ASSOCIATION,
      "orgwarden-install-cloudwatch-agent",
      "2026-03-01T06:02:40.000Z",
      "rate(30 days)",
    ],
    [
      "AmazonCloudWatch-ManageAgent",
      "0c7e2b11-5a1f-4c3e-9d2a-3f8e4d5c6b7a",
      "orgwarden-configure-cloudwatch-agent",
      "2026-03-01T06:04:02.000Z",
      "rate(30 days)",
    ],
  ].map(([Name, AssociationId, AssociationName, last, ScheduleExpression]) => ({
    Name,
    AssociationId,
    AssociationVersion: "1",
    AssociationName,
    Targets: [{ Key: "InstanceIds", Values: ["*"] }],
    LastExecutionDate: seconds(last),
    Overview: { Status: "Success", AssociationStatusAggregatedCount: { Success: 3 } },
    ScheduleExpression,
  })),
};

const PACKAGE_DESCRIPTION = {
  AssociationDescription: {
    Name: "AWS-ConfigureAWSPackage",
    AssociationId: PACKAGE_ASSOCIATION,
    AssociationVersion: "2",
    Parameters: { action: ["Install"], installationType: ["Uninstall and reinstall"], name: ["AmazonCloudWatchAgent"] },
    Overview: { Status: "Success", AssociationStatusAggregatedCount: { Success: 3 } },
  },
};

/** Recorded DescribeDeliveryChannelStatus of the sandbox's channel (the member template names it orgwarden), on the wire. */
const CHANNEL_STATUS = {
  DeliveryChannelsStatus: [
    {
      name: "orgwarden",
      configSnapshotDeliveryInfo: {
        lastStatus: "Success",
        lastAttemptTime: seconds("2026-03-01T00:05:12.000Z"),
        lastSuccessfulTime: seconds("2026-03-01T00:05:12.000Z"),
      },
      configHistoryDeliveryInfo: {
        lastStatus: "Success",
        lastAttemptTime: seconds("2026-03-01T06:10:31.000Z"),
        lastSuccessfulTime: seconds("2026-03-01T06:10:31.000Z"),
      },
      configStreamDeliveryInfo: { lastStatus: "Not_Applicable" },
    },
  ],
};

/** Security Hub's answers for the reads moto lacks, by the request's method and path (undefined: moto's). */
function securityHubAnswer(m: AuditManifest, info: RequestInfo): Answer | undefined {
  const area = m.securityHub;
  if (!area) return undefined;
  const r = recordedSecurityHubAnswers(m, area);
  const restJson = (value: unknown): Answer => ({
    status: 200,
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify(value, (k, v: unknown) => (k === "$metadata" ? undefined : v))),
  });
  const route = `${info.method} ${info.path.split("?")[0]}`;
  if (route === "GET /organization/admin") return restJson(r.admins);
  if (route === "GET /findingAggregator/list") return restJson(r.aggregators);
  if (route.startsWith("GET /findingAggregator/get/") && r.aggregator) return restJson(r.aggregator);
  if (route === "POST /standards/get") return restJson(r.standards(info.region));
  if (!r.policy) return undefined;
  if (route === "GET /configurationPolicy/list") return restJson(r.policy.list);
  if (route.startsWith("GET /configurationPolicy/get/")) return restJson(r.policy.get);
  if (route === "POST /configurationPolicyAssociation/get") return restJson(r.policy.association);
  return undefined;
}

/** The answers for what moto lacks, relative to the run's clock, for the organization the manifest describes. */
export function recordedAnswers(now: Date, manifest: AuditManifest): Interceptor {
  const delivered = now.getTime() / 1000 - 5 * 60;
  return (info, forward) => {
    if (info.service === "securityhub") {
      const answer = securityHubAnswer(manifest, info);
      if (answer) return Promise.resolve(answer);
    }
    if (info.service === "ssm" && info.operation === "ListAssociations") return Promise.resolve(json(ASSOCIATIONS));
    if (info.service === "config" && info.operation === "DescribeDeliveryChannelStatus")
      return Promise.resolve(json(CHANNEL_STATUS));
    if (info.service === "config" && info.operation === "DescribeConfigurationAggregatorSourcesStatus")
      return Promise.resolve(json({ AggregatedSourceStatusList: [] }));
    if (info.service === "ssm" && info.operation === "DescribeAssociation")
      return Promise.resolve(json(PACKAGE_DESCRIPTION));
    if (info.service === "guardduty" && info.operation === "GET /detector/{id}/admin")
      return Promise.resolve(ORG_CONFIGURATION);
    if (info.service !== "cloudtrail" || info.operation !== "GetTrailStatus") return undefined;
    return forward().then((a) => {
      if (a.status !== 200) return a;
      const status = JSON.parse(a.body.toString("utf8")) as Record<string, unknown>;
      if (!status.LatestDeliveryTime) return a;
      const pinned = {
        ...status,
        LatestDeliveryTime: delivered,
        LatestCloudWatchLogsDeliveryTime: delivered,
        LatestDigestDeliveryTime: delivered - 15 * 60,
      };
      return { ...a, body: Buffer.from(JSON.stringify(pinned)) };
    });
  };
}

export interface FaultRun {
  result: AuditResult;
  stats: ProxyStats;
}

export interface FaultRunOptions {
  seed: string | number;
  rates?: FaultRates;
  rules?: FaultRule[];
  now: Date;
  /** Passed to runAudit as given (the defaults of agent/options.ts when absent). */
  audit?: Pick<AuditOptions, "maxAttempts" | "requestTimeoutMs" | "concurrency" | "retryDelayScale">;
}

/** One full sandbox audit through a fresh proxy (stats are this run's only). */
export async function auditThroughProxy(sb: Sandbox, o: FaultRunOptions): Promise<FaultRun> {
  const proxy = await FaultProxy.start({
    target: sb.endpoint,
    seed: o.seed,
    rates: o.rates,
    rules: o.rules,
    intercept: recordedAnswers(o.now, sb.manifest),
  });
  try {
    const { result } = await runAuditDetailed({
      manifest: sb.manifest,
      endpointUrl: proxy.endpoint,
      credentials: { ...sb.credentials },
      now: o.now,
      ...o.audit,
    });
    return { result, stats: proxy.stats() };
  } finally {
    await proxy.close();
  }
}

/**
 * The clock of every fault run. Fixed, so that no request depends on the day the test runs (the
 * archive listing asks for `now`'s date partitions): together with moto's seeded ids the proxy sees
 * the same requests, so it injects the same faults, every time. The sandbox's log objects are
 * written under the real date, so archive-delivery-freshness FAILs in every run, faulted or not.
 */
export const NOW = new Date("2026-11-22T06:00:00Z");

/** moto's random ids (accounts, keys, detectors) seeded, so the sandbox and every request to it are the same in every run. */
export async function seed(endpoint: string, motoSeed = 8): Promise<Sandbox> {
  const r = await fetch(`${endpoint}/moto-api/seed?a=${motoSeed}`, { method: "POST" });
  if (!r.ok) throw new Error(`moto refused to seed its random ids: HTTP ${r.status}`);
  await r.arrayBuffer();
  return seedSandboxOrganization({ endpoint });
}

/**
 * One seeded sandbox and its fault-free audit for a whole file (with `useMoto({ reset: "file" })`):
 * an audit only reads, so every faulted run of the file can compare with the same clean run, as it
 * would with a sandbox of its own (the seeded ids make the two identical). Built on first use.
 */
export function sharedCleanRun(moto: { readonly endpoint: string }): () => Promise<{ sb: Sandbox; clean: FaultRun }> {
  let shared: Promise<{ sb: Sandbox; clean: FaultRun }> | undefined;
  return () =>
    (shared ??= (async () => {
      const sb = await seed(moto.endpoint);
      return { sb, clean: await auditThroughProxy(sb, { seed: "clean", now: NOW }) };
    })());
}

/** Findings in a fixed order (the run's order depends on which task finished first). */
export function sorted(fs: Finding[]): Finding[] {
  // A check may give several findings for one resource (scp-logging-present): the whole finding breaks the tie.
  const key = (f: Finding) => `${f.checkId}|${f.account}|${f.region}|${f.resourceArn}|${JSON.stringify(f)}`;
  return [...fs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export const withStatus = (fs: Finding[], status: Finding["status"]) => fs.filter((f) => f.status === status);
export const brief = (fs: Finding[]) =>
  fs.map((f) => `${f.checkId} ${f.status} ${f.account}/${f.region}: ${f.message}`);

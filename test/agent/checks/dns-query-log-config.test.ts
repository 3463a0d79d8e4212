/**
 * dns-query-log-config over state collected from moto with the agent's own collector and clients
 * (the log-archive account entered by AssumeRole). moto reports every configuration NOT_SHARED (its
 * RAM cannot share one), so the shared PASS case is a recorded ShareStatus on the collected value.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CreateResolverQueryLogConfigCommand, Route53ResolverClient } from "@aws-sdk/client-route53resolver";
import type { AuditManifest } from "../../../baseline";
import { collectDnsQueryLogConfigs } from "../../../agent/collectors/dns-query-logs";
import { CHECKS } from "../../../agent/checks/registry";
import * as check from "../../../agent/checks/archive/dns-query-log-config";
import type { ObservedDnsQueryLogs, ObservedState } from "../../../agent/model";
import { useMoto } from "../../helpers/moto";
import { agentClients } from "../collectors/_clients";
import { cleanManifest, cleanObserved, CTX, HOME, ORG, OTHER_REGION } from "./fixtures";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const BUCKET = "orgwarden-prod-dns-logs-111111111111";
const NAME = "orgwarden-prod-dns-query-logs";

function manifest(): AuditManifest {
  const m = cleanManifest();
  return {
    ...m,
    dnsQueryLogs: {
      bucketName: BUCKET,
      configName: NAME,
    },
  };
}

/** Lays `destinations` (region → destination ARN) in moto's log-archive account and collects every governed region. */
async function observe(destinations: Record<string, string>): Promise<ObservedDnsQueryLogs> {
  env = agentClients(moto.endpoint);
  const byRegion: ObservedDnsQueryLogs["byRegion"] = {};
  for (const region of manifest().regions.governed) {
    const r53 = await env.get(Route53ResolverClient, ORG.logArchive, region);
    if (destinations[region])
      await r53.send(
        new CreateResolverQueryLogConfigCommand({
          Name: NAME,
          DestinationArn: destinations[region],
          CreatorRequestId: `test-${region}-${Date.now()}`,
        }),
      );
    byRegion[region] = await collectDnsQueryLogConfigs(r53, ORG.logArchive, region, NAME);
  }
  return { configName: NAME, byRegion };
}

const shared = (d: ObservedDnsQueryLogs): ObservedDnsQueryLogs => ({
  ...d,
  byRegion: Object.fromEntries(
    Object.entries(d.byRegion).map(([r, c]) => [
      r,
      c.ok ? { ok: true, value: c.value.map((x) => ({ ...x, shareStatus: "SHARED_BY_ME" })) } : c,
    ]),
  ),
});
const state = (dnsQueryLogs?: ObservedDnsQueryLogs): ObservedState => {
  const { dnsQueryLogs: _clean, ...rest } = cleanObserved();
  return { ...rest, ...(dnsQueryLogs ? { dnsQueryLogs } : {}) };
};
const summary = (o: ObservedState, m = manifest()) =>
  check.evaluate(o, m, CTX).map((f) => [f.status, f.account, f.region, f.message]);

describe("dns-query-log-config", () => {
  it("is registered", () => {
    expect(CHECKS).toContain(check);
  });

  it("the collector keeps only the log-archive account's own configuration of that name, as moto returns it", async () => {
    const d = await observe({ [HOME]: `arn:aws:s3:::${BUCKET}` });
    const home = d.byRegion[HOME];
    expect(
      home.ok &&
        home.value.map(({ name, ownerId, destinationArn, status, shareStatus }) => ({
          name,
          ownerId,
          destinationArn,
          status,
          shareStatus,
        })),
    ).toEqual([
      {
        name: NAME,
        ownerId: ORG.logArchive,
        destinationArn: `arn:aws:s3:::${BUCKET}`,
        status: "CREATED",
        shareStatus: "NOT_SHARED",
      },
    ]);
    expect(d.byRegion[OTHER_REGION]).toEqual({ ok: true, value: [] });
  });

  it("PASS per region when it exists, delivers to the bucket and is shared (ShareStatus recorded); FAIL naming a missing region", async () => {
    const d = shared(await observe({ [HOME]: `arn:aws:s3:::${BUCKET}` }));
    const home = d.byRegion[HOME];
    const id = home.ok ? home.value[0].id : "";
    expect(summary(state(d))).toEqual([
      [
        "PASS",
        ORG.logArchive,
        HOME,
        `The configuration ${id} in ${HOME} delivers to arn:aws:s3:::${BUCKET}, is CREATED and shared.`,
      ],
      [
        "FAIL",
        ORG.logArchive,
        OTHER_REGION,
        `The log-archive account has no Resolver query logging configuration named ${NAME} in ${OTHER_REGION}, so no VPC of the region is logged to the archive.`,
      ],
    ]);
  });

  it("FAIL when it is not shared (moto's own NOT_SHARED) or delivers elsewhere", async () => {
    const d = await observe({ [HOME]: `arn:aws:s3:::${BUCKET}`, [OTHER_REGION]: "arn:aws:s3:::someone-elses-bucket" });
    const [home, other] = check.evaluate(state(d), manifest(), CTX);
    expect(home.status).toBe("FAIL");
    expect(home.message).toMatch(
      /is NOT_SHARED \(not SHARED_BY_ME\): member accounts cannot associate their VPCs with it/,
    );
    expect(other.status).toBe("FAIL");
    expect(other.message).toMatch(
      new RegExp(`delivers to arn:aws:s3:::someone-elses-bucket, not to arn:aws:s3:::${BUCKET}`),
    );
  });

  it("ERROR when the region was not read or not collected, NOT_APPLICABLE when the stack has no query logging", () => {
    const denied: ObservedDnsQueryLogs = {
      configName: NAME,
      byRegion: {
        [HOME]: {
          ok: false,
          error: {
            service: "route53resolver",
            operation: "ListResolverQueryLogConfigs",
            account: ORG.logArchive,
            region: HOME,
            name: "AccessDeniedException",
            message: "not authorized",
            kind: "access-denied",
          },
        },
      },
    };
    expect(check.evaluate(state(denied), manifest(), CTX).map((f) => [f.status, f.region])).toEqual([
      ["ERROR", HOME],
      ["ERROR", OTHER_REGION],
    ]);
    expect(check.evaluate(state(), manifest(), CTX).map((f) => f.status)).toEqual(["ERROR", "ERROR"]);
    const { dnsQueryLogs: _none, ...without } = manifest();
    expect(check.evaluate(state(), without, CTX).map((f) => f.status)).toEqual(["NOT_APPLICABLE"]);
  });
});

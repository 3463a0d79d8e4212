/**
 * config-delivery-channel and config-aggregator over moto: the sandbox lays the member template's
 * channel in every account × region and the organization aggregator in the security account, from
 * the baseline functions infra uses. moto serves the channels and the aggregator; their statuses
 * (which moto does not implement) are recorded answers, and the tests that rely on them say so.
 * One seeded sandbox for the file: audited as laid, then drifted and audited again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { accountRoot } from "../../../baseline";
import { applyDrift } from "../../../agent/sandbox/drifts";
import type { Sandbox } from "../../../agent/sandbox/seed";
import type { AuditResult } from "../../../agent/finding";
import { collectDeliveryChannels } from "../../../agent/collectors/config";
import * as channelCheck from "../../../agent/checks/detection/config-delivery-channel";
import { resetMoto, startMoto } from "../../helpers/moto";
import { agentClients } from "../collectors/_clients";
import { cleanManifest, cleanObserved, CTX, detectionEntry, HOME, ORG } from "../checks/fixtures";
import { audit, seed } from "./_harness";

let endpoint: string;
let sb: Sandbox;
let clean: AuditResult;
let drifted: AuditResult;
let member0: string;
let member1: string;

const of = (r: AuditResult, checkId: string) => r.findings.filter((f) => f.checkId === checkId);

beforeAll(async () => {
  endpoint = (await startMoto()).endpoint;
  await resetMoto(endpoint);
  sb = await seed(endpoint);
  [member0, member1] = sb.accounts.members;
  clean = await audit(sb);
  await applyDrift(sb, { kind: "config-channel-unencrypted", account: "member-0", region: "eu-west-1" });
  await applyDrift(sb, { kind: "config-aggregator-region-dropped", region: "eu-west-1" });
  drifted = await audit(sb, {
    gaps: {
      config: {
        failedDeliveries: [`${member1}/us-east-1`],
        failedSources: [{ account: member1, region: "us-east-1" }],
      },
    },
  });
});
afterAll(async () => {
  if (endpoint) await resetMoto(endpoint);
});

describe("Config delivery channel and aggregator over moto (delivery and source statuses recorded)", () => {
  it("the sandbox as laid: every account × governed region's channel PASSes, and the aggregator PASSes", () => {
    const channel = sb.manifest.pipeline!.config!.deliveryChannel;
    const cells = [sb.accounts.management, sb.accounts.logArchive, sb.accounts.security, ...sb.accounts.members]
      .flatMap((a) => sb.governedRegions.map((r) => `${a}/${r}`))
      .sort();
    const findings = of(clean, "config-delivery-channel");
    expect(findings.map((f) => `${f.account}/${f.region}`).sort()).toEqual(cells);
    expect(findings.every((f) => f.status === "PASS")).toBe(true);
    expect(findings[0].message).toBe(
      `Delivery channel orgwarden delivers to ${channel.s3BucketName} with the Config key, snapshots every TwentyFour_Hours; no failed delivery (last history delivery 2026-03-01T06:10:31.000Z).`,
    );
    const agg = of(clean, "config-aggregator");
    expect(agg.map((f) => [f.status, f.account, f.region, f.resourceArn])).toEqual([
      ["PASS", sb.accounts.security, sb.region, accountRoot(sb.accounts.security)],
    ]);
    expect(agg[0].message).toBe(
      `Aggregator orgwarden-organization aggregates the organization (us-east-1, eu-west-1) with arn:aws:iam::${sb.accounts.security}:role/orgwarden-config-aggregator; no source failed its last update.`,
    );
  });

  it("drifted: the unencrypted channel and the failed delivery FAIL in their cells only; the aggregator FAILs on the dropped region and the failed source", () => {
    const notPass = of(drifted, "config-delivery-channel")
      .filter((f) => f.status !== "PASS")
      .map((f) => [f.account, f.region, f.status, f.message])
      .sort((a, b) => (a[0] === member0 ? -1 : b[0] === member0 ? 1 : 0));
    const key = sb.manifest.pipeline!.config!.deliveryChannel.s3KmsKeyArn;
    expect(notPass).toEqual([
      [
        member0,
        "eu-west-1",
        "FAIL",
        `Delivery channel orgwarden names no KMS key, so Config does not encrypt with the Config key ${key}.`,
      ],
      [
        member1,
        "us-east-1",
        "FAIL",
        "The last configuration history (S3) delivery failed at 2026-03-01T06:10:31.000Z (AccessDenied: Access Denied).",
      ],
    ]);
    const agg = of(drifted, "config-aggregator");
    expect(agg.map((f) => [f.status, f.message])).toEqual([
      [
        "FAIL",
        `Aggregator orgwarden-organization does not aggregate the governed region eu-west-1; aggregator orgwarden-organization: 1 source failed to update: ${member1}/us-east-1 (AccessDeniedException: Config is not enabled in the source account).`,
      ],
    ]);
  });

  it("moto alone (no recorded status): the unreadable delivery status is an ERROR naming the call, never a PASS", async () => {
    const env = agentClients(endpoint);
    try {
      const cfg = await env.get(ConfigServiceClient, member0, "us-east-1");
      const read = await collectDeliveryChannels(cfg, member0, "us-east-1");
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.error.operation).toBe("DescribeDeliveryChannelStatus");
      // The real failed read, judged in the checks' fixture organization.
      const observed = {
        ...cleanObserved(),
        detection: [{ ...detectionEntry(ORG.member, HOME), configDeliveryChannels: read }],
        scope: { accounts: [ORG.member], regions: [HOME] },
      };
      const f = channelCheck.evaluate(observed, cleanManifest(), CTX);
      expect(f.map((x) => [x.status, x.account, x.error?.operation])).toEqual([
        ["ERROR", ORG.member, "DescribeDeliveryChannelStatus"],
      ]);
    } finally {
      env.destroy();
    }
  });
});

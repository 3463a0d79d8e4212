/** config-delivery-channel and config-aggregator as rules: one clean observation, one change per failing case. */
import { describe, expect, it } from "vitest";
import * as channelCheck from "../../../agent/checks/detection/config-delivery-channel";
import * as aggregatorCheck from "../../../agent/checks/detection/config-aggregator";
import { collected, type ObservedDeliveryChannel, type ObservedState } from "../../../agent/model";
import { AGGREGATOR, cleanManifest, cleanObserved, CONFIG_KEY_ARN, CTX, HOME, ORG, OTHER_REGION } from "./fixtures";

const member = (o: ObservedState) => o.detection.find((d) => d.account === ORG.member && d.region === HOME)!;

function channelFindings(change: (c: ObservedDeliveryChannel) => void) {
  const o = cleanObserved();
  const cell = member(o);
  if (!cell.configDeliveryChannels.ok) throw new Error("fixture channel unreadable");
  change(cell.configDeliveryChannels.value[0]);
  return channelCheck.evaluate(o, cleanManifest(), CTX);
}

const notPass = (fs: ReturnType<typeof channelCheck.evaluate>) =>
  fs.filter((f) => f.status !== "PASS").map((f) => [f.account, f.region, f.status, f.message]);

describe("config-delivery-channel under Control Tower (manifest controlTower)", () => {
  const ct = () => {
    const m = cleanManifest();
    m.controlTower = {
      executionRoleName: "AWSControlTowerExecution",
      configRecorderName: "aws-controltower-BaselineConfigRecorder",
      deliveryChannelName: "aws-controltower-BaselineConfigDeliveryChannel",
    };
    return m;
  };
  const asControlTower = (c: ObservedDeliveryChannel, bucket: string) => {
    c.name = "aws-controltower-BaselineConfigDeliveryChannel";
    c.s3BucketName = bucket;
    c.s3KeyPrefix = "o-ct";
    delete c.s3KmsKeyArn;
    c.deliveryFrequency = "One_Hour";
  };
  it("an enrolled account's channel is Control Tower's: judged by its name, its bucket and its deliveries, not by the baseline's prefix, key or frequency", () => {
    const m = ct();
    const o = cleanObserved();
    const cell = member(o);
    if (!cell.configDeliveryChannels.ok) throw new Error("fixture");
    asControlTower(cell.configDeliveryChannels.value[0], m.archive.bucketName);
    const f = channelCheck.evaluate(o, m, CTX).find((x) => x.account === ORG.member && x.region === HOME)!;
    expect([f.status, f.message]).toEqual([
      "PASS",
      `Control Tower's delivery channel aws-controltower-BaselineConfigDeliveryChannel delivers to its log-archive bucket ${m.archive.bucketName}; no failed delivery (last history delivery ${cell.configDeliveryChannels.value[0].status!.history!.lastSuccessfulTime}). Its prefix, key and frequency are Control Tower's.`,
    ]);
    asControlTower(cell.configDeliveryChannels.value[0], "elsewhere");
    const g = channelCheck.evaluate(o, m, CTX).find((x) => x.account === ORG.member && x.region === HOME)!;
    expect([g.status, g.message]).toEqual([
      "FAIL",
      `Delivery channel aws-controltower-BaselineConfigDeliveryChannel delivers to bucket elsewhere, not to Control Tower's log-archive bucket ${m.archive.bucketName}.`,
    ]);
  });
  it("the management account keeps orgwarden's channel, judged in full", () => {
    const m = ct();
    const f = channelCheck.evaluate(cleanObserved(), m, CTX).filter((x) => x.account === ORG.management);
    expect(f.map((x) => x.status)).toEqual(["PASS", "PASS"]);
  });
});

describe("config-delivery-channel", () => {
  it("PASS in every account × governed region of the clean organization", () => {
    const f = channelCheck.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f).toHaveLength(4 * 2);
    expect(notPass(f)).toEqual([]);
  });

  it.each<[string, (c: ObservedDeliveryChannel) => void, string]>([
    [
      "another bucket",
      (c) => (c.s3BucketName = "someone-elses-bucket"),
      "Delivery channel orgwarden delivers to bucket someone-elses-bucket, not to the Config bucket orgwarden-prod-config-111111111111.",
    ],
    [
      "a key prefix",
      (c) => (c.s3KeyPrefix = "elsewhere"),
      "Delivery channel orgwarden delivers under the key prefix elsewhere, not under the bucket's root (no prefix), where the Config bucket's policy admits it.",
    ],
    [
      "another key",
      (c) => (c.s3KmsKeyArn = "arn:aws:kms:us-east-1:444444444444:key/other"),
      `Delivery channel orgwarden encrypts with arn:aws:kms:us-east-1:444444444444:key/other, not with the Config key ${CONFIG_KEY_ARN}.`,
    ],
    [
      "another snapshot frequency",
      (c) => (c.deliveryFrequency = "Six_Hours"),
      "Delivery channel orgwarden delivers snapshots every Six_Hours, not every TwentyFour_Hours.",
    ],
    [
      "the snapshot delivery failed",
      (c) =>
        (c.status!.snapshot = {
          lastStatus: "Failure",
          lastErrorCode: "KMS.AccessDeniedException",
          lastAttemptTime: "2026-11-22T00:00:00.000Z",
        }),
      "The last configuration snapshot (S3) delivery failed at 2026-11-22T00:00:00.000Z (KMS.AccessDeniedException).",
    ],
    [
      "another channel name",
      (c) => (c.name = "default"),
      "Delivery channel default is not the baseline's channel orgwarden.",
    ],
  ])("FAIL on %s, in that cell only", (_label, change, message) => {
    expect(notPass(channelFindings(change))).toEqual([[ORG.member, HOME, "FAIL", message]]);
  });

  it("no snapshot frequency named is Config's default (TwentyFour_Hours), the intended one: PASS", () => {
    expect(notPass(channelFindings((c) => delete c.deliveryFrequency))).toEqual([]);
  });

  it("no channel at all is a FAIL; a status response that does not name the channel is an ERROR", () => {
    const o = cleanObserved();
    member(o).configDeliveryChannels = collected([]);
    expect(notPass(channelCheck.evaluate(o, cleanManifest(), CTX))).toEqual([
      [
        ORG.member,
        HOME,
        "FAIL",
        "Account 444444444444 has no Config delivery channel in us-east-1: its recorder cannot deliver to orgwarden-prod-config-111111111111.",
      ],
    ]);
    const f = channelFindings((c) => delete c.status);
    expect(f.filter((x) => x.status !== "PASS").map((x) => [x.status, x.error?.name])).toEqual([
      ["ERROR", "StatusNotReported"],
    ]);
  });

  it("a manifest without the pipeline area: one NOT_APPLICABLE saying why, nothing judged", () => {
    const m = { ...cleanManifest(), pipeline: undefined };
    for (const check of [channelCheck, aggregatorCheck]) {
      const f = check.evaluate(cleanObserved(), m, CTX);
      expect(f.map((x) => [x.status, x.account])).toEqual([["NOT_APPLICABLE", "-"]]);
      expect(f[0].message).toContain("the audit manifest has no pipeline.config section");
    }
  });
});

describe("config-aggregator", () => {
  const run = (change: (o: ObservedState) => void) => {
    const o = cleanObserved();
    change(o);
    return aggregatorCheck.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.message]);
  };
  const agg = (o: ObservedState) => {
    const a = o.configAggregator!.aggregator;
    if (!a.ok || !a.value) throw new Error("fixture aggregator unreadable");
    return a.value;
  };

  it("PASS on the aggregator as laid, and with all regions instead of the governed ones", () => {
    expect(run(() => {})).toEqual([
      [
        "PASS",
        `Aggregator orgwarden-organization aggregates the organization (us-east-1, eu-west-1) with ${AGGREGATOR.roleArn}; no source failed its last update.`,
      ],
    ]);
    expect(
      run((o) => (agg(o).organizationSource = { roleArn: AGGREGATOR.roleArn, allRegions: true, regions: [] }))[0][0],
    ).toBe("PASS");
  });

  it.each<[string, (o: ObservedState) => void, string]>([
    [
      "no aggregator",
      (o) => (o.configAggregator!.aggregator = collected(undefined)),
      "The security account 333333333333 in us-east-1 has no Config aggregator named orgwarden-organization; create it with an organization source.",
    ],
    [
      "account sources instead of the organization",
      (o) => {
        delete agg(o).organizationSource;
        agg(o).accountSources = 1;
      },
      "Aggregator orgwarden-organization has no organization source (1 account source): accounts that join later are not aggregated.",
    ],
    [
      "another role",
      (o) => (agg(o).organizationSource!.roleArn = "arn:aws:iam::333333333333:role/other"),
      "Aggregator orgwarden-organization uses the role arn:aws:iam::333333333333:role/other, not arn:aws:iam::333333333333:role/orgwarden-config-aggregator.",
    ],
    [
      "a governed region missing",
      (o) => (agg(o).organizationSource!.regions = [HOME]),
      `Aggregator orgwarden-organization does not aggregate the governed region ${OTHER_REGION}.`,
    ],
    [
      "filters",
      (o) => (agg(o).filters = '{"ResourceType":{"Type":"INCLUDE","Value":["AWS::S3::Bucket"]}}'),
      'Aggregator orgwarden-organization narrows what it aggregates with filters {"ResourceType":{"Type":"INCLUDE","Value":["AWS::S3::Bucket"]}}.',
    ],
    [
      "twelve failed sources (ten named)",
      (o) =>
        (o.configAggregator!.failedSources = collected(
          Array.from({ length: 12 }, (_, n) => ({ sourceId: String(500000000000 + n), region: HOME })),
        )),
      "Aggregator orgwarden-organization: 12 sources failed to update: 500000000000/us-east-1, 500000000001/us-east-1, 500000000002/us-east-1, 500000000003/us-east-1, 500000000004/us-east-1, 500000000005/us-east-1, 500000000006/us-east-1, 500000000007/us-east-1, 500000000008/us-east-1, 500000000009/us-east-1 and 2 more.",
    ],
  ])("FAIL on %s", (_label, change, message) => {
    expect(run(change)).toEqual([["FAIL", message]]);
  });

  it("ERROR when the aggregator was not collected or its security account could not be entered", () => {
    expect(run((o) => delete o.configAggregator).map(([s]) => s)).toEqual(["ERROR"]);
    const denied = {
      name: "AccessDenied",
      operation: "AssumeRole",
      message: "not authorized",
      kind: "access-denied" as const,
      service: "sts",
      account: ORG.security,
      region: HOME,
    };
    expect(run((o) => (o.unreachableAccounts[ORG.security] = denied)).map(([s]) => s)).toEqual(["ERROR"]);
  });
});

import { describe, expect, it } from "vitest";
import type { AuditManifest } from "../../../baseline";
import * as config from "../../../agent/checks/detection/config-recorder";
import * as deliveryChannel from "../../../agent/checks/detection/config-delivery-channel";
import * as forwarding from "../../../agent/checks/detection-pipeline/event-forwarding-rules";
import * as guardduty from "../../../agent/checks/detection/guardduty-enabled";
import * as inspector from "../../../agent/checks/detection/inspector-enabled";
import * as securityhub from "../../../agent/checks/detection/securityhub-enabled";
import * as ssm from "../../../agent/checks/detection/ssm-agent-associations";
import * as logGroup from "../../../agent/checks/detection/trail-log-group";
import { collected, type ObservedRegionDetection, type ObservedState } from "../../../agent/model";
import {
  ACCOUNTS,
  cleanManifest,
  cleanObserved,
  CTX,
  detectionOf,
  failedRead,
  HOME,
  LOG_GROUP,
  LOG_GROUP_KEY_ARN,
  minutesAgo,
  ORG,
  OTHER_REGION,
  readError,
} from "./fixtures";

const CELLS = ACCOUNTS.flatMap((a) => [HOME, OTHER_REGION].map((r) => [a, r]));
const statusesOf = (fs: { account: string; region: string; status: string }[]) =>
  fs.map((f) => [f.account, f.region, f.status]);

describe("config-recorder", () => {
  it("PASS in every account × governed region", () => {
    expect(statusesOf(config.evaluate(cleanObserved(), cleanManifest(), CTX))).toEqual(
      CELLS.map(([a, r]) => [a, r, "PASS"]),
    );
  });
  const cases: [
    string,
    string,
    Partial<{ recording: boolean; allSupported: boolean; includeGlobalResourceTypes: boolean; lastStatus: string }>,
    string,
  ][] = [
    ["stopped", OTHER_REGION, { recording: false }, "Recorder default is not recording; start it."],
    [
      "not all types",
      OTHER_REGION,
      { allSupported: false },
      "Recorder default does not record all supported resource types; set allSupported.",
    ],
    [
      "no global types in the home region",
      HOME,
      { includeGlobalResourceTypes: false },
      `Recorder default does not record global resource types (IAM) in the home region ${HOME}; include them.`,
    ],
    [
      "last status Failure (as AWS answers)",
      OTHER_REGION,
      { lastStatus: "Failure" },
      "Recorder default's last recording attempt failed (check its role and delivery channel).",
    ],
    [
      "last status FAILURE (as moto answers)",
      OTHER_REGION,
      { lastStatus: "FAILURE" },
      "Recorder default's last recording attempt failed (check its role and delivery channel).",
    ],
  ];
  it.each(cases)("FAIL: %s, in that cell only", (_n, region, change, message) => {
    const o = cleanObserved();
    const d = detectionOf(o, ORG.member, region);
    if (!d.configRecorders.ok) throw new Error("fixture");
    Object.assign(d.configRecorders.value[0], change);
    const f = config.evaluate(o, cleanManifest(), CTX);
    expect(f.filter((x) => x.status !== "PASS").map((x) => [x.account, x.region, x.status, x.message])).toEqual([
      [ORG.member, region, "FAIL", message],
    ]);
  });
  it("FAIL: global types recorded outside the home region too (the guardrail's judgment: exactly one region, each item recorded once)", () => {
    const o = cleanObserved();
    const d = detectionOf(o, ORG.member, OTHER_REGION);
    if (!d.configRecorders.ok) throw new Error("fixture");
    d.configRecorders.value[0].includeGlobalResourceTypes = true;
    expect(
      config
        .evaluate(o, cleanManifest(), CTX)
        .filter((x) => x.status !== "PASS")
        .map((x) => [x.account, x.region, x.status, x.intended, x.message]),
    ).toEqual([
      [
        ORG.member,
        OTHER_REGION,
        "FAIL",
        { recording: true, allSupported: true, includeGlobalResourceTypes: false, lastStatus: "not Failure" },
        `Recorder default records global resource types (IAM) outside the home region ${HOME}; record them in ${HOME} only, so each configuration item is recorded once.`,
      ],
    ]);
  });
  it("FAIL: no recorder", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).configRecorders = collected([]);
    expect(config.evaluate(o, cleanManifest(), CTX).find((x) => x.status === "FAIL")!.message).toBe(
      `Account ${ORG.member} has no customer-managed Config recorder in ${HOME}; create one and start recording.`,
    );
  });

  const LINKED = {
    name: "AWSConfigurationRecorderForSecurityHub",
    servicePrincipal: "securityhub.amazonaws.com",
    recording: true,
    allSupported: false,
    includeGlobalResourceTypes: false,
    lastStatus: "Success",
  };
  const OWN = {
    name: "default",
    recording: true,
    allSupported: true,
    includeGlobalResourceTypes: true,
    lastStatus: "Success",
  };
  const memberHome = (o: ObservedState) =>
    config.evaluate(o, cleanManifest(), CTX).find((x) => x.account === ORG.member && x.region === HOME)!;

  it("PASS: a service-linked recorder listed first is not judged; the customer-managed one is", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).configRecorders = collected([LINKED, OWN]);
    expect(memberHome(o)).toMatchObject({
      status: "PASS",
      observed: OWN,
      message: `Recorder default records all supported types, including global ones, in ${HOME}; last status Success.`,
    });
  });
  it("FAIL: the customer-managed recorder stopped, though a service-linked one is recording", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).configRecorders = collected([LINKED, { ...OWN, recording: false }]);
    expect(memberHome(o)).toMatchObject({ status: "FAIL", message: "Recorder default is not recording; start it." });
  });
  it("FAIL: only a service-linked recorder, named with its service, is no customer-managed recorder", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).configRecorders = collected([LINKED]);
    expect(memberHome(o)).toMatchObject({
      status: "FAIL",
      observed: [LINKED],
      message: `Account ${ORG.member} has no customer-managed Config recorder in ${HOME} (only the service-linked AWSConfigurationRecorderForSecurityHub for securityhub.amazonaws.com, which records just what that service needs); create one and start recording.`,
    });
  });
  it("a recorder with Config's reserved service-linked name prefix counts as service-linked even without a service principal", () => {
    const r = {
      name: "AWSConfigurationRecorderForExample",
      recording: true,
      allSupported: true,
      includeGlobalResourceTypes: true,
    };
    expect(config.isServiceLinked(r)).toBe(true);
    expect(config.isServiceLinked(OWN)).toBe(false);
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).configRecorders = collected([r]);
    expect(memberHome(o).status).toBe("FAIL");
  });
});

describe("guardduty-enabled", () => {
  it("PASS with the detector's ARN", () => {
    const f = guardduty.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(statusesOf(f)).toEqual(CELLS.map(([a, r]) => [a, r, "PASS"]));
    expect(f[0].resourceArn).toBe(`arn:aws:guardduty:${HOME}:${ORG.management}:detector/d${ORG.management}useast1`);
  });
  it("FAIL: detector suspended", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, OTHER_REGION).guardDutyDetectors = collected([
      { detectorId: "abc", status: "DISABLED" },
    ]);
    expect(
      guardduty
        .evaluate(o, cleanManifest(), CTX)
        .filter((x) => x.status === "FAIL")
        .map((x) => [x.account, x.region, x.message]),
    ).toEqual([[ORG.member, OTHER_REGION, `GuardDuty detector abc is DISABLED in ${OTHER_REGION}; enable it.`]]);
  });
  it("FAIL: no detector", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, OTHER_REGION).guardDutyDetectors = collected([]);
    expect(guardduty.evaluate(o, cleanManifest(), CTX).find((x) => x.status === "FAIL")!.message).toBe(
      `Account ${ORG.member} has no GuardDuty detector in ${OTHER_REGION}; enable GuardDuty.`,
    );
  });
});

describe("securityhub-enabled", () => {
  it("PASS", () =>
    expect(securityhub.evaluate(cleanObserved(), cleanManifest(), CTX).every((f) => f.status === "PASS")).toBe(true));
  it("FAIL", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.security, HOME).securityHubEnabled = collected(false);
    expect(
      securityhub
        .evaluate(o, cleanManifest(), CTX)
        .filter((x) => x.status === "FAIL")
        .map((x) => [x.account, x.resourceArn, x.message]),
    ).toEqual([
      [
        ORG.security,
        `arn:aws:securityhub:${HOME}:${ORG.security}:hub/default`,
        `Security Hub is not enabled in account ${ORG.security} in ${HOME}; enable it.`,
      ],
    ]);
  });
});

describe("inspector-enabled", () => {
  it("PASS", () =>
    expect(inspector.evaluate(cleanObserved(), cleanManifest(), CTX).every((f) => f.status === "PASS")).toBe(true));
  it("FAIL naming the scan types that are off", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).inspector = collected({ ec2: "ENABLED", ecr: "DISABLED", lambda: "SUSPENDED" });
    expect(inspector.evaluate(o, cleanManifest(), CTX).find((x) => x.status === "FAIL")!.message).toBe(
      `Inspector scanning in ${HOME}: ECR is DISABLED, Lambda is SUSPENDED; activate it.`,
    );
  });
  it("FAIL: never enabled", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).inspector = collected(undefined);
    expect(inspector.evaluate(o, cleanManifest(), CTX).find((x) => x.status === "FAIL")!.message).toBe(
      `Inspector is not enabled in account ${ORG.member} in ${HOME}; activate EC2, ECR and Lambda scanning.`,
    );
  });
  it("judges the manifest's inspector.resourceTypes: LAMBDA_CODE asked for and off is a FAIL; a type not asked for is not judged", () => {
    const m = cleanManifest();
    m.inspector = { resourceTypes: ["EC2", "LAMBDA", "LAMBDA_CODE"] };
    const o = cleanObserved();
    const member = detectionOf(o, ORG.member, HOME);
    member.inspector = collected({ ec2: "ENABLED", ecr: "DISABLED", lambda: "ENABLED", lambdaCode: "DISABLED" });
    // The clean fixture reports no lambdaCode anywhere: only this account × region is looked at here.
    const mine = () => inspector.evaluate(o, m, CTX).filter((x) => x.account === ORG.member && x.region === HOME);
    const f = mine().filter((x) => x.status !== "PASS");
    expect(f.map((x) => [x.status, x.account, x.message])).toEqual([
      ["FAIL", ORG.member, `Inspector scanning in ${HOME}: Lambda code is DISABLED; activate it.`],
    ]);
    expect(f[0].intended).toEqual({ ec2: "ENABLED", lambda: "ENABLED", lambdaCode: "ENABLED" });
    // An account whose status carries no lambdaCode at all is not scanning Lambda code either.
    member.inspector = collected({ ec2: "ENABLED", ecr: "ENABLED", lambda: "ENABLED" });
    expect(mine().find((x) => x.status === "FAIL")!.message).toBe(
      `Inspector scanning in ${HOME}: Lambda code is not reported; activate it.`,
    );
    member.inspector = collected({ ec2: "ENABLED", ecr: "DISABLED", lambda: "ENABLED", lambdaCode: "ENABLED" });
    expect(mine().map((x) => x.status)).toEqual(["PASS"]);
  });
  it("a manifest published before the inspector area is judged on infra's default then, EC2, ECR and Lambda", () => {
    const m = cleanManifest();
    delete m.inspector;
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).inspector = collected({ ec2: "ENABLED", ecr: "DISABLED", lambda: "ENABLED" });
    const f = inspector.evaluate(o, m, CTX).filter((x) => x.status !== "PASS");
    expect(f.map((x) => x.message)).toEqual([`Inspector scanning in ${HOME}: ECR is DISABLED; activate it.`]);
    expect(f[0].intended).toEqual({ ec2: "ENABLED", ecr: "ENABLED", lambda: "ENABLED" });
  });
});

describe("ssm-agent-associations", () => {
  const cwInstall = (id: string, status = "Success", pkg = "AmazonCloudWatchAgent") => ({
    name: "AWS-ConfigureAWSPackage",
    associationId: id,
    status,
    parameters: { action: ["Install"], name: [pkg] },
  });
  it("PASS: the three associations in every cell", () => {
    const f = ssm.evaluate(cleanObserved(), cleanManifest(), CTX);
    expect(f).toHaveLength(CELLS.length * 3);
    expect(f.every((x) => x.status === "PASS")).toBe(true);
    expect(f[0].resourceArn).toBe(`arn:aws:ssm:${HOME}:${ORG.management}:association/upd-${ORG.management}-${HOME}`);
    expect(f[1].intended).toEqual({
      document: "AWS-ConfigureAWSPackage with name=AmazonCloudWatchAgent",
      lastStatus: "Success",
    });
  });
  it("FAIL: last execution failed", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).ssmAssociations = collected([
      { name: "AWS-UpdateSSMAgent", associationId: "a1", status: "Failed" },
      cwInstall("a2"),
      { name: "AmazonCloudWatch-ManageAgent", associationId: "a3", status: "Success" },
    ]);
    expect(
      ssm
        .evaluate(o, cleanManifest(), CTX)
        .filter((x) => x.status === "FAIL")
        .map((x) => [x.account, x.region, x.message]),
    ).toEqual([
      [
        ORG.member,
        HOME,
        `SSM agent update association a1 (AWS-UpdateSSMAgent) is Failed in ${HOME}, not Success; read its execution history and fix the failing instances.`,
      ],
    ]);
  });
  it("FAIL: AWS-ConfigureAWSPackage installing another package does not count as the CloudWatch agent", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).ssmAssociations = collected([
      { name: "AWS-UpdateSSMAgent", associationId: "a1", status: "Success" },
      cwInstall("a2", "Success", "AWSCodeDeployAgent"),
      { name: "AmazonCloudWatch-ManageAgent", associationId: "a3", status: "Success" },
    ]);
    expect(
      ssm
        .evaluate(o, cleanManifest(), CTX)
        .filter((x) => x.status === "FAIL")
        .map((x) => x.message),
    ).toEqual([
      `Account ${ORG.member} has no CloudWatch agent installation association (AWS-ConfigureAWSPackage with name=AmazonCloudWatchAgent) in ${HOME}; create it in State Manager.`,
    ]);
  });
  it("FAIL: the CloudWatch agent associations are missing", () => {
    const o = cleanObserved();
    detectionOf(o, ORG.member, HOME).ssmAssociations = collected([
      { name: "AWS-UpdateSSMAgent", associationId: "a1", status: "Success" },
    ]);
    expect(
      ssm
        .evaluate(o, cleanManifest(), CTX)
        .filter((x) => x.status === "FAIL")
        .map((x) => x.message),
    ).toEqual([
      `Account ${ORG.member} has no CloudWatch agent installation association (AWS-ConfigureAWSPackage with name=AmazonCloudWatchAgent) in ${HOME}; create it in State Manager.`,
      `Account ${ORG.member} has no CloudWatch agent configuration association (AmazonCloudWatch-ManageAgent) in ${HOME}; create it in State Manager.`,
    ]);
  });
});

describe("trail-log-group", () => {
  it("PASS", () => {
    expect(logGroup.evaluate(cleanObserved(), cleanManifest(), CTX)).toMatchObject([
      {
        status: "PASS",
        account: ORG.management,
        region: HOME,
        resourceArn: `arn:aws:logs:${HOME}:${ORG.management}:log-group:${LOG_GROUP}`,
        message: `Log group ${LOG_GROUP} keeps events 365 days, encrypts them with a customer managed key (the manifest names no log group key, so which one is not judged), and last ingested 3m ago.`,
      },
    ]);
  });
  it("PASS: the intended key, when the manifest names it", () => {
    const m = cleanManifest();
    m.trail.logGroupKeyArn = LOG_GROUP_KEY_ARN;
    expect(logGroup.evaluate(cleanObserved(), m, CTX)[0]).toMatchObject({
      status: "PASS",
      message: `Log group ${LOG_GROUP} keeps events 365 days, encrypts them with the intended key ${LOG_GROUP_KEY_ARN}, and last ingested 3m ago.`,
    });
  });
  it("FAIL: another key than the intended one names both ARNs; no key at all is a FAIL too", () => {
    const m = cleanManifest();
    m.trail.logGroupKeyArn = LOG_GROUP_KEY_ARN;
    const other = "arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555";
    const o = cleanObserved();
    o.logGroup = collected({
      name: LOG_GROUP,
      exists: true,
      retentionDays: 365,
      kmsKeyId: other,
      lastIngestionTime: minutesAgo(3),
    });
    expect(logGroup.evaluate(o, m, CTX)[0]).toMatchObject({
      status: "FAIL",
      message: `It is encrypted with ${other}, not the intended log group key ${LOG_GROUP_KEY_ARN} (the key is ${other}, not the intended ${LOG_GROUP_KEY_ARN}).`,
      observed: expect.objectContaining({ kmsKeyId: other }),
      intended: expect.objectContaining({ kmsKeyId: LOG_GROUP_KEY_ARN }),
    });
    o.logGroup = collected({ name: LOG_GROUP, exists: true, retentionDays: 365, lastIngestionTime: minutesAgo(3) });
    expect(logGroup.evaluate(o, m, CTX)[0].message).toBe(
      `It is not encrypted with a customer managed KMS key; associate the log group key ${LOG_GROUP_KEY_ARN}.`,
    );
    expect(logGroup.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      "It is not encrypted with a customer managed KMS key.",
    );
  });
  it("PASS: no retention policy means never expire", () => {
    const o = cleanObserved();
    o.logGroup = collected({
      name: LOG_GROUP,
      exists: true,
      kmsKeyId: LOG_GROUP_KEY_ARN,
      lastIngestionTime: minutesAgo(3),
    });
    expect(logGroup.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      `Log group ${LOG_GROUP} keeps events forever, encrypts them with a customer managed key (the manifest names no log group key, so which one is not judged), and last ingested 3m ago.`,
    );
  });
  it.each([
    [
      { retentionDays: 90, lastIngestionTime: minutesAgo(3) },
      "Retention is 90 days, below the intended 365; raise it.",
    ],
    [
      { retentionDays: 365, lastIngestionTime: minutesAgo(125) },
      "Last ingestion 2h 5m ago, older than the 1h allowed; check the trail's CloudWatch Logs delivery.",
    ],
    [{ retentionDays: 365 }, `No event has ever been ingested into ${LOG_GROUP}.`],
  ])("FAIL: %o", (change, message) => {
    const o = cleanObserved();
    o.logGroup = collected({ name: LOG_GROUP, exists: true, kmsKeyId: LOG_GROUP_KEY_ARN, ...change });
    expect(logGroup.evaluate(o, cleanManifest(), CTX)[0]).toMatchObject({ status: "FAIL", message });
  });
  it("FAIL: the group does not exist", () => {
    const o = cleanObserved();
    o.logGroup = collected({ name: LOG_GROUP, exists: false });
    expect(logGroup.evaluate(o, cleanManifest(), CTX)[0].message).toBe(
      `Log group ${LOG_GROUP} does not exist in ${HOME}; the trail's CloudWatch delivery and every CIS alarm depend on it.`,
    );
  });
  it("ERROR", () => {
    const o = cleanObserved();
    o.logGroup = failedRead("DescribeLogGroups", "logs", ORG.management, HOME);
    expect(logGroup.evaluate(o, cleanManifest(), CTX)).toEqual([
      expect.objectContaining({
        status: "ERROR",
        error: expect.objectContaining({ name: "AccessDeniedException", operation: "DescribeLogGroups" }),
      }),
    ]);
  });
});

describe("per-account × region checks: failures stay in their cell", () => {
  type Cell = keyof Omit<ObservedRegionDetection, "account" | "region">;
  const cases: [string, { evaluate: typeof config.evaluate }, Cell, string][] = [
    ["config-recorder", config, "configRecorders", "DescribeConfigurationRecorders"],
    ["guardduty-enabled", guardduty, "guardDutyDetectors", "ListDetectors"],
    ["securityhub-enabled", securityhub, "securityHubEnabled", "DescribeHub"],
    ["inspector-enabled", inspector, "inspector", "BatchGetAccountStatus"],
    ["ssm-agent-associations", ssm, "ssmAssociations", "ListAssociations"],
  ];
  it.each(cases)("%s: a failed read is ERROR for that account × region only", (id, check, piece, op) => {
    const o = cleanObserved();
    (detectionOf(o, ORG.member, OTHER_REGION) as unknown as Record<string, unknown>)[piece] = failedRead(
      op,
      "svc",
      ORG.member,
      OTHER_REGION,
    );
    const f = check.evaluate(o, cleanManifest(), CTX);
    expect(f.filter((x) => x.status !== "PASS")).toEqual([
      expect.objectContaining({
        checkId: id,
        status: "ERROR",
        account: ORG.member,
        region: OTHER_REGION,
        error: expect.objectContaining({ name: "AccessDeniedException", operation: op }),
      }),
    ]);
  });
  it.each(cases)("%s: an unreachable account is ERROR in each of its regions, the others complete", (_id, check) => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.member] = readError("AssumeRole", "sts", ORG.member, "global");
    const f = check.evaluate(o, cleanManifest(), CTX);
    expect(f.filter((x) => x.status === "ERROR").map((x) => [x.account, x.region, x.error?.operation])).toEqual([
      [ORG.member, HOME, "AssumeRole"],
      [ORG.member, OTHER_REGION, "AssumeRole"],
    ]);
    expect(f.filter((x) => x.account !== ORG.member).every((x) => x.status === "PASS")).toBe(true);
  });
  it.each(cases)("%s: an ACTIVE account with no observation is ERROR, not skipped", (_id, check) => {
    const o = cleanObserved();
    o.detection = o.detection.filter((d) => !(d.account === ORG.member && d.region === OTHER_REGION));
    expect(check.evaluate(o, cleanManifest(), CTX).filter((x) => x.status !== "PASS")).toEqual([
      expect.objectContaining({
        status: "ERROR",
        account: ORG.member,
        region: OTHER_REGION,
        error: {
          name: "NotCollected",
          operation: "collect",
          kind: "other",
          message: `no observation was collected for account ${ORG.member} in ${OTHER_REGION}`,
        },
      }),
    ]);
  });
  it.each(cases)("%s: follows the run's scope", (_id, check) => {
    const o = cleanObserved();
    o.scope = { accounts: [ORG.security], regions: [HOME] };
    expect(new Set(check.evaluate(o, cleanManifest(), CTX).map((x) => `${x.account}/${x.region}`))).toEqual(
      new Set([`${ORG.security}/${HOME}`]),
    );
  });
  it.each(cases)("%s: NOT_APPLICABLE with a reason when nothing is in scope", (_id, check) => {
    const o = cleanObserved();
    o.scope = { accounts: [] };
    const f = check.evaluate(o, cleanManifest(), CTX);
    expect(f).toHaveLength(1);
    expect(f[0].status).toBe("NOT_APPLICABLE");
    expect(f[0].message).toMatch(/no ACTIVE account × region is in this run's scope, so nothing was judged\.$/);
  });
  it("config-recorder: the account list unreadable is one ERROR, and the observed cells are still judged", () => {
    const o = cleanObserved();
    o.organization.accounts = failedRead("ListAccounts", "organizations", ORG.management, "global");
    const f = config.evaluate(o, cleanManifest(), CTX);
    expect(f[0]).toMatchObject({ status: "ERROR", account: "-", error: { operation: "ListAccounts" } });
    expect(f.slice(1).map((x) => x.status)).toEqual(CELLS.map(() => "PASS"));
  });
});

describe("trail-log-group: management account unreachable", () => {
  it("ERROR", () => {
    const o: ObservedState = cleanObserved();
    o.unreachableAccounts[ORG.management] = readError("AssumeRole", "sts", ORG.management, "global");
    expect(logGroup.evaluate(o, cleanManifest(), CTX)).toEqual([
      expect.objectContaining({ status: "ERROR", error: expect.objectContaining({ operation: "AssumeRole" }) }),
    ]);
  });
});

describe("what only the member baseline lays: an account stackSet.excludeAccounts excludes is NOT_APPLICABLE", () => {
  const excluding = (): AuditManifest => {
    const m = cleanManifest();
    return { ...m, stackSet: { ...m.stackSet!, excludeAccounts: [ORG.member] } };
  };
  const cases: [string, { evaluate: typeof config.evaluate }, string][] = [
    ["config-recorder", config, "its Config recorder"],
    ["config-delivery-channel", deliveryChannel, "its Config delivery channel"],
    ["ssm-agent-associations", ssm, "its SSM agent associations"],
    ["event-forwarding-rules", forwarding, "its forwarding rules"],
  ];
  it.each(cases)(
    "%s: one NOT_APPLICABLE per region of the excluded account, naming the exclusion; every other account judged",
    (_id, check, what) => {
      // Whatever its cells hold (here: nothing recorded, nothing forwarded), the excluded account is not judged.
      const o = cleanObserved();
      for (const d of o.detection.filter((x) => x.account === ORG.member)) {
        d.configRecorders = collected([]);
        d.forwardingRules = collected([]);
      }
      const f = check.evaluate(o, excluding(), CTX);
      expect(f.filter((x) => x.account === ORG.member).map((x) => [x.region, x.status, x.message])).toEqual(
        [HOME, OTHER_REGION].map((r) => [
          r,
          "NOT_APPLICABLE",
          `Account ${ORG.member} is excluded by stackSet.excludeAccounts: it gets no orgwarden member baseline, so ${what} is not laid in ${r} and was not judged.`,
        ]),
      );
      expect(f.filter((x) => x.account !== ORG.member).every((x) => x.status === "PASS")).toBe(true);
      expect(f.filter((x) => x.account !== ORG.member).length).toBeGreaterThan(0);
    },
  );
  it.each(cases)(
    "%s: an excluded account that cannot be read (it has no read role) is NOT_APPLICABLE too",
    (_id, check) => {
      const o = cleanObserved();
      o.unreachableAccounts[ORG.member] = readError("AssumeRole", "sts", ORG.member, "global");
      o.detection = o.detection.filter((d) => !(d.account === ORG.member && d.region === OTHER_REGION));
      const f = check.evaluate(o, excluding(), CTX).filter((x) => x.account === ORG.member);
      expect(f.map((x) => [x.region, x.status])).toEqual([
        [HOME, "NOT_APPLICABLE"],
        [OTHER_REGION, "NOT_APPLICABLE"],
      ]);
    },
  );
  it("a check of what the organization enables (GuardDuty) still judges the excluded account: ERROR when it cannot be read", () => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.member] = readError("AssumeRole", "sts", ORG.member, "global");
    const f = guardduty.evaluate(o, excluding(), CTX).filter((x) => x.account === ORG.member);
    expect(f.map((x) => [x.region, x.status])).toEqual([
      [HOME, "ERROR"],
      [OTHER_REGION, "ERROR"],
    ]);
  });
  it("without exclusions nothing changes: the same account is FAIL when its recorder is gone", () => {
    const o = cleanObserved();
    for (const d of o.detection.filter((x) => x.account === ORG.member)) d.configRecorders = collected([]);
    expect(
      config
        .evaluate(o, cleanManifest(), CTX)
        .filter((x) => x.account === ORG.member)
        .map((x) => x.status),
    ).toEqual(["FAIL", "FAIL"]);
  });
});

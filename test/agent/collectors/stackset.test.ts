/**
 * The StackSet collector. moto serves DescribeStackSet, ListStackInstances and DescribeStacks but
 * fills no drift status and no pagination (test/agent/scenarios/stackset.test.ts reads it there);
 * what it lacks — StackSetDriftDetectionDetails, the instances' DriftStatus, NextToken pages,
 * DescribeStacks DriftInformation, a denial — is recorded answers in the API's own shape
 * (@aws-sdk/client-cloudformation), and each such test says "recorded".
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  CloudFormationClient,
  DescribeStacksCommand,
  DescribeStackSetCommand,
  ListStackInstancesCommand,
  type DescribeStacksCommandOutput,
  type DescribeStackSetCommandOutput,
  type ListStackInstancesCommandOutput,
} from "@aws-sdk/client-cloudformation";
import { collectBaselineStack, collectStackSet } from "../../../agent/collectors/stackset";
import * as driftCheck from "../../../agent/checks/stackset/stackset-drift";
import * as instancesCheck from "../../../agent/checks/stackset/stackset-instances";
import {
  cleanManifest,
  cleanObserved,
  CTX,
  HOME,
  ORG,
  OTHER_REGION,
  STACKSET_ID,
  STACKSET_NAME,
} from "../checks/fixtures";

const cfnMock = mockClient(CloudFormationClient);
afterEach(() => cfnMock.reset());
// The unit project shares one process between files (vitest.config.mts): leave CloudFormationClient as it was.
afterAll(() => cfnMock.restore());
const client = () =>
  new CloudFormationClient({ region: HOME, credentials: { accessKeyId: "a", secretAccessKey: "b" } });
const at = (iso: string) => new Date(iso);
const CHECKED = "2026-11-22T11:00:00.000Z";

const recordedStackSet: DescribeStackSetCommandOutput = {
  $metadata: { httpStatusCode: 200 },
  StackSet: {
    StackSetName: STACKSET_NAME,
    StackSetId: STACKSET_ID,
    StackSetARN: `arn:aws:cloudformation:${HOME}:${ORG.management}:stackset/${STACKSET_ID}`,
    Status: "ACTIVE",
    PermissionModel: "SERVICE_MANAGED",
    AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
    StackSetDriftDetectionDetails: {
      DriftStatus: "DRIFTED",
      DriftDetectionStatus: "COMPLETED",
      LastDriftCheckTimestamp: at(CHECKED),
      TotalStackInstancesCount: 6,
      DriftedStackInstancesCount: 1,
      InSyncStackInstancesCount: 5,
      InProgressStackInstancesCount: 0,
      FailedStackInstancesCount: 0,
    },
  },
};

const summary = (account: string, region: string, drift: "IN_SYNC" | "DRIFTED") => ({
  StackSetId: STACKSET_ID,
  Region: region,
  Account: account,
  StackId: `arn:aws:cloudformation:${region}:${account}:stack/StackSet-${STACKSET_NAME}-0f1e2d3c/9a8b7c6d`,
  Status: "CURRENT" as const,
  StackInstanceStatus: { DetailedStatus: "SUCCEEDED" as const },
  DriftStatus: drift,
  LastDriftCheckTimestamp: at(CHECKED),
});

describe("collectStackSet (recorded: drift details and pages moto does not serve)", () => {
  it("recorded: reads every ListStackInstances page, keeps governed regions only, and the drift the last detection found", async () => {
    cfnMock.on(DescribeStackSetCommand, { StackSetName: STACKSET_NAME, CallAs: "SELF" }).resolves(recordedStackSet);
    const page1: ListStackInstancesCommandOutput = {
      $metadata: {},
      Summaries: [
        summary(ORG.logArchive, HOME, "IN_SYNC"),
        summary(ORG.logArchive, OTHER_REGION, "IN_SYNC"),
        summary(ORG.security, HOME, "IN_SYNC"),
        summary(ORG.security, "ap-south-1", "IN_SYNC"),
      ],
      NextToken: "page-2",
    };
    const page2: ListStackInstancesCommandOutput = {
      $metadata: {},
      Summaries: [
        summary(ORG.security, OTHER_REGION, "IN_SYNC"),
        summary(ORG.member, HOME, "IN_SYNC"),
        summary(ORG.member, OTHER_REGION, "DRIFTED"),
      ],
    };
    cfnMock
      .on(ListStackInstancesCommand, { StackSetName: STACKSET_NAME, CallAs: "SELF", NextToken: undefined })
      .resolves(page1)
      .on(ListStackInstancesCommand, { NextToken: "page-2" })
      .resolves(page2);
    const s = await collectStackSet(client(), ORG.management, HOME, STACKSET_NAME, [HOME, OTHER_REGION]);
    expect(s.stackSet).toEqual({
      ok: true,
      value: {
        arn: recordedStackSet.StackSet!.StackSetARN,
        status: "ACTIVE",
        permissionModel: "SERVICE_MANAGED",
        drift: {
          driftStatus: "DRIFTED",
          detectionStatus: "COMPLETED",
          lastDriftCheckTimestamp: CHECKED,
          driftedInstances: 1,
          failedInstances: 0,
        },
      },
    });
    if (!s.instances.ok) throw new Error("instances not read");
    expect(s.instances.value.map((i) => `${i.account}/${i.region} ${i.driftStatus}`)).toEqual([
      `${ORG.logArchive}/${HOME} IN_SYNC`,
      `${ORG.logArchive}/${OTHER_REGION} IN_SYNC`,
      `${ORG.security}/${HOME} IN_SYNC`,
      `${ORG.security}/${OTHER_REGION} IN_SYNC`,
      `${ORG.member}/${HOME} IN_SYNC`,
      `${ORG.member}/${OTHER_REGION} DRIFTED`,
    ]);

    // Judged: every instance CURRENT/SUCCEEDED; the drifted one and the StackSet's detection FAIL stackset-drift.
    const o = cleanObserved();
    o.memberBaseline!.stackSet = s;
    expect(instancesCheck.evaluate(o, cleanManifest(), CTX).filter((f) => f.status !== "PASS")).toEqual([]);
    expect(
      driftCheck
        .evaluate(o, cleanManifest(), CTX)
        .filter((f) => f.status !== "PASS")
        .map((f) => [f.status, f.account, f.region]),
    ).toEqual([
      ["FAIL", ORG.management, HOME],
      ["FAIL", ORG.member, OTHER_REGION],
    ]);
  });

  it("recorded: no StackSet of that name is absent (FAIL for the check), not an error", async () => {
    cfnMock.on(DescribeStackSetCommand).rejects(
      Object.assign(new Error(`StackSet ${STACKSET_NAME} not found`), {
        name: "StackSetNotFoundException",
        $metadata: { httpStatusCode: 404 },
      }),
    );
    const s = await collectStackSet(client(), ORG.management, HOME, STACKSET_NAME, [HOME]);
    expect([s.stackSet, s.instances]).toEqual([
      { ok: true, value: undefined },
      { ok: true, value: [] },
    ]);
  });

  it("recorded: a denied DescribeStackSet is a failed read of both pieces, naming the operation", async () => {
    cfnMock
      .on(DescribeStackSetCommand)
      .rejects(
        Object.assign(
          new Error(
            `User: arn:aws:sts::${ORG.management}:assumed-role/orgwarden-audit-read/orgwarden-audit is not authorized to perform: cloudformation:DescribeStackSet`,
          ),
          { name: "AccessDenied", $fault: "client", $metadata: { httpStatusCode: 403 } },
        ),
      );
    const s = await collectStackSet(client(), ORG.management, HOME, STACKSET_NAME, [HOME]);
    expect(s.stackSet.ok || s.instances.ok).toBe(false);
    if (s.stackSet.ok) throw new Error("unreachable");
    expect([s.stackSet.error.name, s.stackSet.error.operation, s.stackSet.error.kind]).toEqual([
      "AccessDenied",
      "DescribeStackSet",
      "access-denied",
    ]);
  });
});

describe("collectBaselineStack (recorded: DriftInformation moto does not fill)", () => {
  it("recorded: status and drift of the direct stack; a stack that does not exist is absent", async () => {
    const out: DescribeStacksCommandOutput = {
      $metadata: {},
      Stacks: [
        {
          StackName: STACKSET_NAME,
          StackId: `arn:aws:cloudformation:${HOME}:${ORG.management}:stack/${STACKSET_NAME}/5e6f7a8b`,
          CreationTime: at("2026-10-01T00:00:00Z"),
          StackStatus: "UPDATE_ROLLBACK_COMPLETE",
          StackStatusReason: "The following resource(s) failed to update: [ConfigRecorder].",
          DriftInformation: { StackDriftStatus: "DRIFTED", LastCheckTimestamp: at(CHECKED) },
        },
      ],
    };
    cfnMock.on(DescribeStacksCommand, { StackName: STACKSET_NAME }).resolves(out);
    expect(await collectBaselineStack(client(), ORG.management, HOME, STACKSET_NAME)).toEqual({
      account: ORG.management,
      region: HOME,
      stack: {
        ok: true,
        value: {
          stackId: out.Stacks![0].StackId,
          status: "UPDATE_ROLLBACK_COMPLETE",
          statusReason: "The following resource(s) failed to update: [ConfigRecorder].",
          driftStatus: "DRIFTED",
          lastDriftCheckTimestamp: CHECKED,
        },
      },
    });
    cfnMock.reset();
    cfnMock.on(DescribeStacksCommand).rejects(
      Object.assign(new Error(`Stack with id ${STACKSET_NAME} does not exist`), {
        name: "ValidationError",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    expect((await collectBaselineStack(client(), ORG.management, HOME, STACKSET_NAME)).stack).toEqual({
      ok: true,
      value: undefined,
    });
    cfnMock.reset();
    cfnMock.on(DescribeStacksCommand).rejects(
      Object.assign(new Error("1 validation error detected: Value at 'stackName' failed"), {
        name: "ValidationError",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const other = (await collectBaselineStack(client(), ORG.management, HOME, STACKSET_NAME)).stack;
    expect(other.ok).toBe(false);
  });
});

/**
 * athena-workgroup over state collected from moto's Athena (the real collector, the agent's own
 * clients, the security account entered by AssumeRole): the workgroup as infra lays it passes;
 * each setting changed alone fails, named; a missing workgroup fails; a failed read is ERROR,
 * never PASS. Moto stores the configuration CreateWorkGroup is given and returns it from
 * GetWorkGroup, but it has no UpdateWorkGroup and its State is always ENABLED, and it answers a
 * missing workgroup with a null WorkGroup where AWS answers InvalidRequestException: those cases
 * run on recorded AWS responses. The read role's action under the IAM simulator.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  AthenaClient,
  CreateWorkGroupCommand,
  GetWorkGroupCommand,
  type WorkGroupConfiguration,
} from "@aws-sdk/client-athena";
import { mockClient } from "aws-sdk-client-mock";
import type { WorkgroupSpec } from "../../../baseline/athena";
import { auditRoleExtraPolicy } from "../../../baseline/detection";
import { collectAthenaWorkgroup, unreadableAthenaWorkgroup } from "../../../agent/collectors/athena";
import { CHECKS } from "../../../agent/checks/registry";
import * as check from "../../../agent/checks/archive/athena-workgroup";
import type { ObservedState } from "../../../agent/model";
import { useMoto } from "../../helpers/moto";
import { roleCaller, simulate } from "../../helpers/iam-sim";
import { agentClients } from "../collectors/_clients";
import {
  ATHENA_RESULTS_KEY_ARN,
  ATHENA_WORKGROUP,
  athenaWorkgroup,
  cleanManifest,
  cleanObserved,
  CTX,
  HOME,
  ORG,
} from "./fixtures";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const WANT = athenaWorkgroup();
const ARN = `arn:aws:athena:${HOME}:${ORG.security}:workgroup/${ATHENA_WORKGROUP}`;
/** How a FAIL message starts: the first problem, capitalised. */
const wg = `Workgroup ${ATHENA_WORKGROUP}`;
const OTHER_KEY = `arn:aws:kms:${HOME}:${ORG.security}:key/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a`;

/** The configuration as infra/athena/log-analytics.ts lays it, in CreateWorkGroup's shape. */
const configurationOf = (w: WorkgroupSpec): WorkGroupConfiguration => ({
  EnforceWorkGroupConfiguration: w.enforced,
  PublishCloudWatchMetricsEnabled: w.publishMetrics,
  BytesScannedCutoffPerQuery: w.bytesScannedCutoff,
  ResultConfiguration: {
    OutputLocation: w.resultsLocation,
    EncryptionConfiguration: { EncryptionOption: w.encryption.option, KmsKey: w.encryption.kmsKeyArn },
    ExpectedBucketOwner: w.expectedBucketOwner,
  },
});

/** Lays the workgroup with `configuration` in moto's security account (none when undefined), then collects. */
async function observe(configuration: WorkGroupConfiguration | undefined): Promise<ObservedState> {
  env = agentClients(moto.endpoint);
  const athena = await env.get(AthenaClient, ORG.security, HOME);
  if (configuration)
    await athena.send(
      new CreateWorkGroupCommand({
        Name: ATHENA_WORKGROUP,
        Description: WANT.description,
        Configuration: configuration,
      }),
    );
  return {
    ...cleanObserved(),
    athenaWorkgroup: await collectAthenaWorkgroup(athena, ORG.security, HOME, ATHENA_WORKGROUP),
  };
}

const judge = (o: ObservedState) => check.evaluate(o, cleanManifest(), CTX);
const laid = () => configurationOf(WANT);

describe("athena-workgroup on moto", () => {
  it("is registered", () => {
    expect(CHECKS).toContain(check);
  });

  it("PASS for the workgroup as infra lays it, every setting read back", async () => {
    const o = await observe(laid());
    expect(o.athenaWorkgroup).toEqual({
      name: ATHENA_WORKGROUP,
      workgroup: {
        ok: true,
        value: {
          state: "ENABLED",
          enforced: true,
          publishMetrics: true,
          bytesScannedCutoff: 107374182400,
          resultsLocation: "s3://orgwarden-prod-query-results-111111111111/results/",
          encryptionOption: "SSE_KMS",
          kmsKey: ATHENA_RESULTS_KEY_ARN,
          expectedBucketOwner: ORG.security,
        },
      },
    });
    const fs = judge(o);
    expect(fs.map((f) => [f.status, f.account, f.region, f.resourceArn])).toEqual([["PASS", ORG.security, HOME, ARN]]);
    expect(fs[0].message).toBe(
      `The workgroup ${ATHENA_WORKGROUP} is ENABLED and enforces results under s3://orgwarden-prod-query-results-111111111111/results/, SSE_KMS with ${ATHENA_RESULTS_KEY_ARN}, with a per-query scan limit of 107374182400 bytes (intended at most 107374182400) and CloudWatch metrics.`,
    );
  });

  it("PASS for a smaller scan limit than intended (stricter), saying which limit it read", async () => {
    const [f] = judge(await observe({ ...laid(), BytesScannedCutoffPerQuery: 10 * 1024 ** 3 }));
    expect(f.status).toBe("PASS");
    expect(f.message).toContain("a per-query scan limit of 10737418240 bytes (intended at most 107374182400)");
  });

  const results = laid().ResultConfiguration!;
  it.each<[string, WorkGroupConfiguration, string]>([
    [
      "enforcement off",
      { ...laid(), EnforceWorkGroupConfiguration: false },
      `${wg} does not enforce its configuration, so a client may override the results location and encryption.`,
    ],
    [
      "another results location",
      { ...laid(), ResultConfiguration: { ...results, OutputLocation: "s3://elsewhere/results/" } },
      `${wg} writes results to "s3://elsewhere/results/", intended "s3://orgwarden-prod-query-results-111111111111/results/".`,
    ],
    [
      "results unencrypted",
      { ...laid(), ResultConfiguration: { ...results, EncryptionConfiguration: undefined } },
      `${wg} leaves query results unencrypted, intended SSE_KMS.`,
    ],
    [
      "SSE_S3 instead of SSE_KMS",
      { ...laid(), ResultConfiguration: { ...results, EncryptionConfiguration: { EncryptionOption: "SSE_S3" } } },
      `${wg} encrypts results with SSE_S3, intended SSE_KMS.`,
    ],
    [
      "another key",
      {
        ...laid(),
        ResultConfiguration: {
          ...results,
          EncryptionConfiguration: { EncryptionOption: "SSE_KMS", KmsKey: OTHER_KEY },
        },
      },
      `${wg} encrypts results with key "${OTHER_KEY}", intended ${ATHENA_RESULTS_KEY_ARN}.`,
    ],
    [
      "another expected bucket owner",
      { ...laid(), ResultConfiguration: { ...results, ExpectedBucketOwner: "999999999999" } },
      `${wg} expects the results bucket's owner to be "999999999999", intended ${ORG.security}.`,
    ],
    [
      "no scan limit",
      { ...laid(), BytesScannedCutoffPerQuery: undefined },
      `${wg} has no per-query scan limit, intended 107374182400 bytes.`,
    ],
    [
      "a larger scan limit",
      { ...laid(), BytesScannedCutoffPerQuery: 1024 ** 4 },
      `${wg} lets one query scan 1099511627776 bytes, more than the intended 107374182400.`,
    ],
    [
      "CloudWatch metrics off",
      { ...laid(), PublishCloudWatchMetricsEnabled: false },
      `${wg} does not publish query metrics to CloudWatch.`,
    ],
  ])("FAIL naming the setting: %s", async (_case, configuration, message) => {
    const fs = judge(await observe(configuration));
    expect(fs.map((f) => [f.status, f.resourceArn, f.message])).toEqual([["FAIL", ARN, message]]);
  });

  it("FAIL naming every setting at once when the workgroup was laid bare (moto's defaults)", async () => {
    const [f] = judge(await observe({ EnforceWorkGroupConfiguration: false }));
    expect(f.status).toBe("FAIL");
    expect(f.message).toBe(
      [
        `${wg} does not enforce its configuration, so a client may override the results location and encryption`,
        `workgroup ${ATHENA_WORKGROUP} writes results to null, intended "${WANT.resultsLocation}"`,
        `workgroup ${ATHENA_WORKGROUP} leaves query results unencrypted, intended SSE_KMS`,
        `workgroup ${ATHENA_WORKGROUP} expects the results bucket's owner to be null, intended ${ORG.security}`,
        `workgroup ${ATHENA_WORKGROUP} has no per-query scan limit, intended 107374182400 bytes`,
        `workgroup ${ATHENA_WORKGROUP} does not publish query metrics to CloudWatch.`,
      ].join("; "),
    );
  });

  it("FAIL when the workgroup does not exist (moto: GetWorkGroup answers a null WorkGroup)", async () => {
    const o = await observe(undefined);
    expect(o.athenaWorkgroup?.workgroup).toEqual({ ok: true, value: undefined });
    const fs = judge(o);
    expect(fs.map((f) => [f.status, f.resourceArn, f.observed, f.message])).toEqual([
      [
        "FAIL",
        ARN,
        "absent",
        `The workgroup ${ATHENA_WORKGROUP} does not exist, so the responder has nowhere to query the logs; run \`pulumi up\`.`,
      ],
    ]);
  });

  it("ERROR when the workgroup could not be read, was not collected or the manifest predates its settings; NOT_APPLICABLE without an athena area", () => {
    const denied = unreadableAthenaWorkgroup(ATHENA_WORKGROUP, {
      name: "AccessDeniedException",
      message: "not authorized to perform athena:GetWorkGroup",
      operation: "GetWorkGroup",
      service: "athena",
      account: ORG.security,
      region: HOME,
      kind: "access-denied",
    });
    const [e] = judge({ ...cleanObserved(), athenaWorkgroup: denied });
    expect([e.status, e.resourceArn]).toEqual(["ERROR", ARN]);
    expect(e.message).toContain("AccessDeniedException");
    const { athenaWorkgroup: _dropped, ...notCollected } = cleanObserved();
    const [n] = judge(notCollected);
    expect([n.status, n.observed]).toEqual(["ERROR", "not collected"]);
    const m = cleanManifest();
    const { workgroup: _settings, ...older } = m.athena!;
    const [old] = check.evaluate(cleanObserved(), { ...m, athena: older }, CTX);
    expect([old.status, old.message]).toEqual([
      "ERROR",
      `${check.metadata.title}: not evaluated, because the audit manifest names the workgroup ${ATHENA_WORKGROUP} without its settings (athena.workgroup, published since athena-workgroup). Run \`pulumi up\` to republish the manifest.`,
    ]);
    const { athena: _none, ...noAthena } = m;
    const [na] = check.evaluate(cleanObserved(), noAthena, CTX);
    expect([na.status, na.resourceArn, na.message]).toEqual([
      "NOT_APPLICABLE",
      `arn:aws:athena:${HOME}:${ORG.security}:workgroup/*`,
      `${check.metadata.title}: not applicable, the audit manifest has no athena area (the stack sets athena.enabled to false).`,
    ]);
  });

  it("ERROR when the security account could not be entered (unreachable), never PASS", () => {
    const o = cleanObserved();
    o.unreachableAccounts = {
      [ORG.security]: {
        name: "AccessDenied",
        message: "not authorized to perform sts:AssumeRole",
        operation: "AssumeRole",
        service: "sts",
        account: ORG.security,
        region: HOME,
        kind: "access-denied",
      },
    };
    expect(judge(o).map((f) => f.status)).toEqual(["ERROR"]);
  });

  it("the audit read role may read the workgroup (athena:GetWorkGroup) and change nothing in it", async () => {
    const reader = roleCaller({
      accountId: ORG.security,
      roleName: "orgwarden-audit-read",
      identityPolicies: [auditRoleExtraPolicy("orgwarden", "orgwarden-audit-read")],
    });
    const on = async (action: string) =>
      (await simulate({ caller: reader, action, resource: ARN, resourceAccount: ORG.security })).result;
    expect(await on("athena:GetWorkGroup")).toBe("Allowed");
    for (const action of ["athena:UpdateWorkGroup", "athena:DeleteWorkGroup", "athena:StartQueryExecution"])
      expect(await on(action), action).not.toBe("Allowed");
  });
});

describe("athena-workgroup — recorded AWS responses (moto's State is always ENABLED and it never answers InvalidRequestException for a missing workgroup)", () => {
  async function collectRecorded(answer: (m: ReturnType<typeof mockClient>) => void) {
    const athena = mockClient(AthenaClient);
    try {
      answer(athena);
      return await collectAthenaWorkgroup(new AthenaClient({ region: HOME }), ORG.security, HOME, ATHENA_WORKGROUP);
    } finally {
      athena.restore();
    }
  }

  it("recorded: a DISABLED workgroup with its configuration intact is a FAIL naming the state", async () => {
    const o = await collectRecorded((m) =>
      m.on(GetWorkGroupCommand, { WorkGroup: ATHENA_WORKGROUP }).resolves({
        WorkGroup: {
          Name: ATHENA_WORKGROUP,
          State: "DISABLED",
          Description: WANT.description,
          CreationTime: new Date("2026-11-02T09:14:03.512Z"),
          Configuration: {
            ...configurationOf(WANT),
            RequesterPaysEnabled: false,
            EnableMinimumEncryptionConfiguration: false,
            EngineVersion: { SelectedEngineVersion: "AUTO", EffectiveEngineVersion: "Athena engine version 3" },
          },
        },
      }),
    );
    const fs = judge({ ...cleanObserved(), athenaWorkgroup: o });
    expect(fs.map((f) => [f.status, f.message])).toEqual([["FAIL", `${wg} is "DISABLED", intended "ENABLED".`]]);
  });

  it('recorded: InvalidRequestException "WorkGroup is not found." means the workgroup is absent, a FAIL', async () => {
    const o = await collectRecorded((m) =>
      m.on(GetWorkGroupCommand).rejects(
        Object.assign(new Error("WorkGroup is not found."), {
          name: "InvalidRequestException",
          AthenaErrorCode: "INVALID_INPUT",
          $metadata: { httpStatusCode: 400 },
        }),
      ),
    );
    expect(o.workgroup).toEqual({ ok: true, value: undefined });
    expect(judge({ ...cleanObserved(), athenaWorkgroup: o }).map((f) => f.status)).toEqual(["FAIL"]);
  });

  it("recorded: another InvalidRequestException is a failed read, so an ERROR, not an absent workgroup", async () => {
    const o = await collectRecorded((m) =>
      m.on(GetWorkGroupCommand).rejects(
        Object.assign(new Error("1 validation error detected: Value at 'workGroup' failed to satisfy constraint"), {
          name: "InvalidRequestException",
          $metadata: { httpStatusCode: 400 },
        }),
      ),
    );
    expect(o.workgroup.ok ? "collected" : o.workgroup.error.name).toBe("InvalidRequestException");
    expect(judge({ ...cleanObserved(), athenaWorkgroup: o }).map((f) => f.status)).toEqual(["ERROR"]);
  });
});

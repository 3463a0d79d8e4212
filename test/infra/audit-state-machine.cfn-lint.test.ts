/**
 * A second, independent reading of the generated ASL: cfn-lint's state machine rules (E3601) on a
 * CloudFormation template holding the definition, as AWS::StepFunctions::StateMachine would. The
 * infra deploys it through Pulumi, not CloudFormation; the template only carries the definition.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { auditStateMachineDefinition, DEFAULT_RETRY, type AslDefinition } from "../../infra/audit-state-machine";
import { runProcess } from "../helpers/run";

const CFN_LINT = join(__dirname, "../../.venv/bin/cfn-lint");
const dir = mkdtempSync(join(tmpdir(), "orgwarden-asl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fn = (step: string) => `arn:aws:lambda:us-east-1:333333333333:function:orgwarden-prod-audit-agent-${step}`;
const definition = (maxConcurrency: number) =>
  auditStateMachineDefinition({
    planFunctionArn: fn("plan"),
    collectFunctionArn: fn("collect"),
    evaluateFunctionArn: fn("evaluate"),
    maxConcurrency,
    taskTimeoutSeconds: { plan: 960, collect: 960, evaluate: 960 },
    executionTimeoutSeconds: 21_600,
    retry: DEFAULT_RETRY,
  });

async function cfnLint(name: string, def: AslDefinition): Promise<{ status: number | null; output: string }> {
  if (!existsSync(CFN_LINT)) throw new Error(`${CFN_LINT} is missing: run bash scripts/setup-python.sh`);
  const template = {
    AWSTemplateFormatVersion: "2010-09-09",
    Resources: {
      Role: {
        Type: "AWS::IAM::Role",
        Properties: {
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }],
          },
        },
      },
      Machine: {
        Type: "AWS::StepFunctions::StateMachine",
        Properties: {
          StateMachineName: "orgwarden-prod-audit-agent",
          StateMachineType: "STANDARD",
          RoleArn: { "Fn::GetAtt": ["Role", "Arn"] },
          Definition: def,
        },
      },
    },
  };
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(template, null, 2));
  const r = await runProcess(CFN_LINT, ["--regions", "us-east-1", "--", file], {});
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("the audit state machine definition under cfn-lint", () => {
  it.each([1, 10, 10_000])("has no finding at MaxConcurrency %d", async (n) => {
    expect(await cfnLint(`machine-${n}.json`, definition(n))).toEqual({ status: 0, output: "" });
  });

  // cfn-lint 1.58 does not follow Catch targets (asl-validator does, see audit-state-machine.test.ts); it does check StartAt, Next and state types.
  it("control: cfn-lint reads the definition: a StartAt naming no state is E3601", async () => {
    const bad = { ...definition(10), StartAt: "Nowhere" };
    const r = await cfnLint("broken.json", bad);
    expect(r.status).toBe(2);
    expect(r.output).toContain("E3601");
    expect(r.output).toContain("Nowhere");
  });
});

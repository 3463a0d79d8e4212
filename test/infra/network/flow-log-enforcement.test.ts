/** VPC Flow Logs enforcement as both example stacks plan it: the member template of the StackSet and of the direct stacks. */
import { beforeAll, describe, expect, it } from "vitest";
import type { ProgramRun } from "../../../harness/run-program";
import { flowLogTemplateResources } from "../../../baseline/network";
import { EXPECTED } from "../expected";
import { ofType, one, runStack, STACKS } from "../stack";

const STACKSET = "aws:cloudformation/stackSet:StackSet";

describe.each(STACKS)("flow-log enforcement (%s stack)", (stack) => {
  const x = EXPECTED[stack];
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  });

  it("the StackSet's template carries the rule, the remediation and its document, naming this stack's flow-log bucket", () => {
    const tpl = JSON.parse(one(run, STACKSET, "detection-member-baseline-stackset").inputs.templateBody);
    const expected = flowLogTemplateResources("orgwarden", { bucketArn: `arn:aws:s3:::${x.flowLogs}` });
    for (const [k, v] of Object.entries(expected)) expect(tpl.Resources[k], k).toEqual(v);
    expect(tpl.Resources.FlowLogAutomationDocument.Properties.Content.mainSteps[0].inputs.LogDestination).toBe(
      `arn:aws:s3:::${x.flowLogs}`,
    );
  });

  it("the direct stacks (accounts the StackSet cannot reach) deploy the same template", () => {
    const setBody = one(run, STACKSET, "detection-member-baseline-stackset").inputs.templateBody;
    const stacks = ofType(run, "aws:cloudformation/stack:Stack");
    expect(stacks.length).toBeGreaterThan(0);
    for (const s of stacks) expect(s.inputs.templateBody, s.name).toBe(setBody);
  });

  it("the StackSet, its instances and the direct stacks come after the flow-log bucket policy", () => {
    const policy = one(run, "aws:s3/bucketPolicy:BucketPolicy", "flow-logs-policy").urn;
    expect(one(run, STACKSET, "detection-member-baseline-stackset").dependencies).toContain(policy);
    const homeStacks = ofType(run, "aws:cloudformation/stack:Stack").filter((r) => r.name.endsWith(x.home));
    expect(homeStacks.map((s) => s.name)).toEqual(["detection-management-baseline-" + x.home]);
    for (const s of homeStacks) expect(s.dependencies, s.name).toContain(policy);
  });
});

describe("network.flowLogs.enabled = false", () => {
  it("the member template has no flow-log rule, remediation, document or role", async () => {
    const run = await runStack("prod", { "network.flowLogs.enabled": "false" });
    const tpl = JSON.parse(one(run, STACKSET, "detection-member-baseline-stackset").inputs.templateBody);
    expect(Object.keys(tpl.Resources).filter((k) => /FlowLog/.test(k))).toEqual([]);
  });
});

/**
 * audit-agent-schedule, audit-agent-alarms and audit-agent-log-groups over the agent's deployment
 * laid in moto (EventBridge, CloudWatch, CloudWatch Logs: seed-audit-agent.ts, from the manifest's
 * auditAgent area) and read with the agent's own collector; and over the fixture state for the
 * manifest without the area and the failed reads.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CloudWatchClient, DisableAlarmActionsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateLogGroupCommand,
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  DeleteRuleCommand,
  DisableRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import type { AuditManifest } from "../../../baseline";
import { auditAgentTask, unreadableAgentDeployment } from "../../../agent/collectors/audit-agent";
import * as schedule from "../../../agent/checks/audit-agent/audit-agent-schedule";
import * as alarms from "../../../agent/checks/audit-agent/audit-agent-alarms";
import * as logGroups from "../../../agent/checks/audit-agent/audit-agent-log-groups";
import { failed, type ObservedState } from "../../../agent/model";
import type { Check } from "../../../agent/checks/common";
import { putAlarmInput, seedAuditAgent } from "../../../agent/sandbox/seed-audit-agent";
import { SandboxSession } from "../../../agent/sandbox/session";
import { useMoto } from "../../helpers/moto";
import { agentClients, MOTO_DEFAULT_ACCOUNT } from "../collectors/_clients";
import { agentArea, AGENT_FUNCTION } from "./audit-agent-fixtures";
import { cleanManifest, cleanObserved, CTX, HOME, ORG } from "./fixtures";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

type Drift = (s: SandboxSession) => Promise<unknown>;

const manifest = (engine: "lambda" | "step-functions" = "step-functions"): AuditManifest => ({
  ...cleanManifest(),
  auditAgent: agentArea(ORG.security, HOME, engine),
});

/** Lays the deployment in moto as infra does, applies `drift`, and returns the state with the collector's reading. */
async function observe(m: AuditManifest, drift?: Drift): Promise<ObservedState> {
  const session = new SandboxSession(moto.endpoint, MOTO_DEFAULT_ACCOUNT, "OrganizationAccountAccessRole");
  await seedAuditAgent(session, ORG.security, HOME, m.auditAgent!);
  if (drift) await drift(session);
  env = agentClients(moto.endpoint);
  const rt = { clients: env.clients, creds: env.creds, concurrency: 2, taskTimeoutMs: 30_000 };
  const exec = async <T>(t: { account: string; run: () => Promise<T> }) => {
    await env.creds.enter(t.account);
    return t.run();
  };
  const read = await auditAgentTask(rt, exec, m);
  return { ...cleanObserved(), auditAgent: read };
}

const statuses = (fs: { status: string }[]) => fs.map((f) => f.status);
const client = <C>(s: SandboxSession, c: new (x: never) => C) => s.client(c as never, ORG.security, HOME) as Promise<C>;
const RULE = AGENT_FUNCTION;

describe("audit-agent-* over the agent's deployment laid in moto", () => {
  it("as laid (step-functions engine): every check PASSes, one finding per alarm and log group", async () => {
    const m = manifest();
    const o = await observe(m);
    expect(statuses(schedule.evaluate(o, m))).toEqual(["PASS"]);
    expect(alarms.evaluate(o, m).map((f) => [f.resourceArn.split(":alarm:")[1], f.status])).toEqual([
      [`${AGENT_FUNCTION}-errors`, "PASS"],
      [`${AGENT_FUNCTION}-executions`, "PASS"],
      [`${AGENT_FUNCTION}-missed-run`, "PASS"],
      [`${AGENT_FUNCTION}-notification-failed`, "PASS"],
    ]);
    expect(logGroups.evaluate(o, m).map((f) => [f.resourceArn.split(":log-group:")[1], f.status])).toEqual([
      [`/aws/lambda/${AGENT_FUNCTION}`, "PASS"],
      [`/aws/lambda/${AGENT_FUNCTION}-plan`, "PASS"],
      [`/aws/lambda/${AGENT_FUNCTION}-collect`, "PASS"],
      [`/aws/lambda/${AGENT_FUNCTION}-evaluate`, "PASS"],
      [`/aws/vendedlogs/states/${AGENT_FUNCTION}`, "PASS"],
    ]);
  });

  it("as laid (lambda engine): the function is the target, three alarms, one log group, all PASS", async () => {
    const m = manifest("lambda");
    const o = await observe(m);
    expect(schedule.evaluate(o, m).map((f) => [f.status, f.message])).toEqual([
      [
        "PASS",
        `The rule ${RULE} is ENABLED, fires on cron(0 3 * * ? *) and starts arn:aws:lambda:${HOME}:${ORG.security}:function:${RULE}.`,
      ],
    ]);
    expect(statuses(alarms.evaluate(o, m))).toEqual(["PASS", "PASS", "PASS"]);
    expect(statuses(logGroups.evaluate(o, m))).toEqual(["PASS"]);
  });

  it("schedule disabled, rescheduled: a FAIL naming both", async () => {
    const m = manifest();
    const o = await observe(m, async (s) => {
      const ev = await client(s, EventBridgeClient);
      await ev.send(new PutRuleCommand({ Name: RULE, ScheduleExpression: "rate(7 days)", State: "ENABLED" }));
      await ev.send(new DisableRuleCommand({ Name: RULE }));
    });
    const [f] = schedule.evaluate(o, m);
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `The rule ${RULE} is DISABLED, not ENABLED, so it starts no audit; it fires on rate(7 days), not the intended cron(0 3 * * ? *) (audit.schedule).`,
    ]);
  });

  it("target removed: FAIL, the rule starts no audit", async () => {
    const m = manifest();
    const t = m.auditAgent!.schedule.target;
    const gone = schedule.evaluate(
      await observe(m, async (s) =>
        (await client(s, EventBridgeClient)).send(new RemoveTargetsCommand({ Rule: RULE, Ids: [t.id] })),
      ),
      m,
    )[0];
    expect([gone.status, gone.message]).toEqual([
      "FAIL",
      `None of its targets (none) is the intended ${t.arn}, so the rule starts no audit.`,
    ]);
  });

  it("target with another role and input: a FAIL naming both", async () => {
    const m = manifest();
    const t = m.auditAgent!.schedule.target;
    const other = `arn:aws:iam::${ORG.security}:role/someone-else`;
    const swapped = schedule.evaluate(
      await observe(m, async (s) =>
        (await client(s, EventBridgeClient)).send(
          new PutTargetsCommand({
            Rule: RULE,
            Targets: [{ Id: t.id, Arn: t.arn, RoleArn: other, Input: '{"accounts":["1"]}' }],
          }),
        ),
      ),
      m,
    )[0];
    expect([swapped.status, swapped.message]).toEqual([
      "FAIL",
      `It starts ${t.arn} as ${other}, not the schedule role ${t.roleArn} (only that role may start the state machine); its target's input is {"accounts":["1"]}, not {} (the plan's input decides what the run audits).`,
    ]);
  });

  it("rule deleted: FAIL, absent", async () => {
    const m = manifest();
    const o = await observe(m, async (s) => {
      const ev = await client(s, EventBridgeClient);
      await ev.send(new RemoveTargetsCommand({ Rule: RULE, Ids: [m.auditAgent!.schedule.target.id] }));
      await ev.send(new DeleteRuleCommand({ Name: RULE }));
    });
    const [f] = schedule.evaluate(o, m);
    expect([f.status, f.observed, f.message]).toEqual([
      "FAIL",
      "absent",
      `The rule ${RULE} does not exist on the default bus of ${ORG.security} in ${HOME}, so no scheduled audit runs; run \`pulumi up\`.`,
    ]);
  });

  it("an alarm's actions disabled, another's threshold, period and missing-data treatment changed: one FAIL each, naming every setting", async () => {
    const m = manifest();
    const missed = m.auditAgent!.alarms.find((a) => a.name.endsWith("-missed-run"))!;
    const o = await observe(m, async (s) => {
      const cw = await client(s, CloudWatchClient);
      await cw.send(new DisableAlarmActionsCommand({ AlarmNames: [`${AGENT_FUNCTION}-errors`] }));
      await cw.send(
        new PutMetricAlarmCommand({
          ...putAlarmInput(missed),
          Threshold: 0,
          Period: 86_400,
          TreatMissingData: "notBreaching",
          OKActions: [],
        }),
      );
    });
    const f = alarms.evaluate(o, m);
    expect(f.map((x) => x.status)).toEqual(["FAIL", "PASS", "FAIL", "PASS"]);
    expect(f[0].message).toBe(
      `Alarm ${AGENT_FUNCTION}-errors: its actions are disabled, so it notifies nobody when it fires.`,
    );
    expect(f[2].message).toBe(
      `Alarm ${missed.name}: it does not notify ${missed.okActions![0]} when it returns to OK (its OK actions: none); ` +
        "its period is 86400, not 108600; its threshold is 0, not 1; its missing-data treatment is notBreaching, not breaching.",
    );
  });

  it("the executions alarm's metric math on another state machine, and an alarm deleted: FAILs", async () => {
    const m = manifest();
    const exec = m.auditAgent!.alarms.find((a) => a.name.endsWith("-executions"))!;
    const otherArn = `arn:aws:states:${HOME}:${ORG.security}:stateMachine:other`;
    const o = await observe(m, async (s) => {
      const cw = await client(s, CloudWatchClient);
      await cw.send(
        new PutMetricAlarmCommand(
          putAlarmInput({
            ...exec,
            metrics: exec.metrics!.map((x) =>
              x.id === "failed" ? { ...x, dimensions: { StateMachineArn: otherArn } } : x,
            ),
          }),
        ),
      );
    });
    const f = alarms.evaluate(o, {
      ...m,
      auditAgent: { ...m.auditAgent!, alarms: [...m.auditAgent!.alarms, { ...exec, name: "never-laid" }] },
    });
    expect(f.map((x) => x.status)).toEqual(["PASS", "FAIL", "PASS", "PASS", "FAIL"]);
    expect(f[1].message).toContain(
      `its metric failed is {"namespace":"AWS/States","metricName":"ExecutionsFailed","dimensions":{"StateMachineArn":"${otherArn}"}`,
    );
    expect([f[4].observed, f[4].message]).toEqual([
      "absent",
      `The alarm never-laid does not exist in ${ORG.security}/${HOME}, so what it watches alarms nobody; run \`pulumi up\`.`,
    ]);
  });

  it("a log group's retention shortened, another's removed (never expire), one re-keyed, one deleted", async () => {
    const m = manifest();
    const [single, plan, collect, evaluate] = m.auditAgent!.logGroups.names;
    const otherKey = `arn:aws:kms:${HOME}:${ORG.security}:key/0000aaaa-1111-4222-8333-444455556666`;
    const o = await observe(m, async (s) => {
      const logs = await client(s, CloudWatchLogsClient);
      await logs.send(new PutRetentionPolicyCommand({ logGroupName: single, retentionInDays: 30 }));
      await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: plan }));
      // moto has no AssociateKmsKey: the group is laid again under the other key, with the intended retention.
      await logs.send(new DeleteLogGroupCommand({ logGroupName: collect }));
      await logs.send(new CreateLogGroupCommand({ logGroupName: collect, kmsKeyId: otherKey }));
      await logs.send(new PutRetentionPolicyCommand({ logGroupName: collect, retentionInDays: 365 }));
      await logs.send(new DeleteLogGroupCommand({ logGroupName: evaluate }));
    });
    const f = logGroups.evaluate(o, m);
    expect(f.map((x) => [x.status, x.message])).toEqual([
      ["FAIL", `${single} keeps its events 30 days, fewer than the intended 365.`],
      [
        "PASS",
        `The log group ${plan} never expires its events (intended 365 days: the evidence is kept longer) and is encrypted with the agent log key ${m.auditAgent!.logGroups.keyArn}.`,
      ],
      ["FAIL", `${collect} is encrypted with ${otherKey}, not the agent log key ${m.auditAgent!.logGroups.keyArn}.`],
      [
        "FAIL",
        `The log group ${evaluate} does not exist in ${ORG.security}/${HOME}: its function's next run recreates it unencrypted and never expiring, and its earlier logs are gone; run \`pulumi up\`.`,
      ],
      ["PASS", expect.stringContaining("keeps its events 365 days")],
    ]);
  });
});

describe("audit-agent-* without the area or without a reading", () => {
  const checks: Check[] = [schedule, alarms, logGroups];

  it("a manifest published before the auditAgent area: one NOT_APPLICABLE each, saying so, never PASS", () => {
    const m: AuditManifest = { ...cleanManifest(), auditAgent: undefined };
    for (const c of checks) {
      const f = c.evaluate(cleanObserved(), m, CTX);
      expect(f.map((x) => [x.status, x.account, x.region])).toEqual([["NOT_APPLICABLE", ORG.security, HOME]]);
      expect(f[0].message).toContain("the audit manifest has no auditAgent area (a manifest published before it)");
    }
  });

  it("a state without the reading: ERROR NotCollected", () => {
    const o = { ...cleanObserved(), auditAgent: undefined };
    for (const c of checks) {
      const f = c.evaluate(o, cleanManifest(), CTX);
      expect(f.map((x) => [x.status, x.error?.name])).toEqual([["ERROR", "NotCollected"]]);
    }
  });

  it("every read failed (AccessDenied): ERROR on every finding, naming the operation", () => {
    const m = cleanManifest();
    const e = (operation: string) => ({
      name: "AccessDeniedException",
      message: "denied",
      kind: "access-denied" as const,
      operation,
      service: "events",
      account: ORG.security,
      region: HOME,
    });
    const o = {
      ...cleanObserved(),
      auditAgent: unreadableAgentDeployment(m.auditAgent!, ORG.security, HOME, e("DescribeRule")),
    };
    o.auditAgent.alarms = failed(e("DescribeAlarms"));
    o.auditAgent.logGroups = o.auditAgent.logGroups.map(() => failed(e("DescribeLogGroups")));
    const f = checks.flatMap((c) => c.evaluate(o, m, CTX));
    expect(f.map((x) => [x.checkId, x.status, x.error?.name])).toEqual([
      ["audit-agent-schedule", "ERROR", "AccessDeniedException"],
      ...m.auditAgent!.alarms.map(() => ["audit-agent-alarms", "ERROR", "AccessDeniedException"]),
      ...m.auditAgent!.logGroups.names.map(() => ["audit-agent-log-groups", "ERROR", "AccessDeniedException"]),
    ]);
    expect(f[0].message).toContain("DescribeRule was denied");
    expect(f[1].message).toContain("DescribeAlarms was denied");
  });

  it("the security account unreachable: ERROR, not a FAIL on what could not be read", () => {
    const o = cleanObserved();
    o.unreachableAccounts[ORG.security] = {
      name: "AccessDenied",
      message: "not authorized to perform sts:AssumeRole",
      kind: "access-denied",
      operation: "AssumeRole",
      service: "sts",
      account: ORG.security,
      region: "global",
    };
    for (const c of checks) expect(new Set(statuses(c.evaluate(o, cleanManifest(), CTX)))).toEqual(new Set(["ERROR"]));
  });
});

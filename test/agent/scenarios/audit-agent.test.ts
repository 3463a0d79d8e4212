/**
 * audit-agent-schedule, audit-agent-alarms and audit-agent-log-groups over the sandbox in moto: the
 * seeder lays the agent's rule and target, alarms and log groups from the manifest's auditAgent area
 * as infra does. A clean audit PASSes all three; the schedule disabled, the missed-run alarm's
 * actions disabled and the single function's log group kept 30 days each FAIL their check.
 * One seeded sandbox for the file: audited as laid, then drifted and audited again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyDrift } from "../../../agent/sandbox/drifts";
import type { Sandbox } from "../../../agent/sandbox/seed";
import type { AuditResult } from "../../../agent/finding";
import { resetMoto, startMoto } from "../../helpers/moto";
import { audit, seed } from "./_harness";

let endpoint: string;
let sb: Sandbox;
let clean: AuditResult;
let drifted: AuditResult;

const CHECKS = ["audit-agent-schedule", "audit-agent-alarms", "audit-agent-log-groups"];
const of = (r: AuditResult, checkId: string) =>
  r.findings.filter((f) => f.checkId === checkId).map((f) => [f.status, f.account, f.region, f.message]);

beforeAll(async () => {
  endpoint = (await startMoto()).endpoint;
  await resetMoto(endpoint);
  sb = await seed(endpoint);
  clean = await audit(sb);
  await applyDrift(sb, { kind: "agent", drift: { change: "schedule-disabled" } });
  await applyDrift(sb, { kind: "agent", drift: { change: "alarm-actions-disabled", alarm: "missed-run" } });
  await applyDrift(sb, { kind: "agent", drift: { change: "log-retention-shortened", group: 0, days: 30 } });
  drifted = await audit(sb);
});
afterAll(async () => {
  if (endpoint) await resetMoto(endpoint);
});

describe("the audit agent's deployment over moto", () => {
  it("as laid: the rule, the four alarms and the five log groups PASS, in the security account's home region", () => {
    const a = sb.manifest.auditAgent!;
    expect(a.engine).toBe("step-functions");
    for (const id of CHECKS) {
      const f = clean.findings.filter((x) => x.checkId === id);
      expect(f.length, id).toBe(
        { "audit-agent-schedule": 1, "audit-agent-alarms": 4, "audit-agent-log-groups": 5 }[id],
      );
      expect(new Set(f.map((x) => `${x.status} ${x.account}/${x.region}`)), id).toEqual(
        new Set([`PASS ${sb.accounts.security}/${sb.region}`]),
      );
    }
    expect(of(clean, "audit-agent-schedule")[0][3]).toBe(
      `The rule ${a.schedule.ruleName} is ENABLED, fires on cron(0 5 * * ? *) and starts ${a.schedule.target.arn} as ${a.schedule.target.roleArn}.`,
    );
  });

  it("drifted: the disabled rule, the missed-run alarm without actions, the 30-day log group each FAIL; the rest still PASS", () => {
    const a = sb.manifest.auditAgent!;
    expect(of(drifted, "audit-agent-schedule")).toEqual([
      [
        "FAIL",
        sb.accounts.security,
        sb.region,
        `The rule ${a.schedule.ruleName} is DISABLED, not ENABLED, so it starts no audit.`,
      ],
    ]);
    const missed = a.alarms.find((x) => x.name.endsWith("-missed-run"))!.name;
    expect(
      drifted.findings
        .filter((f) => f.checkId === "audit-agent-alarms")
        .map((f) => [f.resourceArn.split(":alarm:")[1], f.status]),
    ).toEqual(a.alarms.map((x) => [x.name, x.name === missed ? "FAIL" : "PASS"]));
    expect(drifted.findings.find((f) => f.resourceArn.endsWith(`:alarm:${missed}`))!.message).toBe(
      `Alarm ${missed}: its actions are disabled, so it notifies nobody when it fires.`,
    );
    const groups = drifted.findings.filter((f) => f.checkId === "audit-agent-log-groups");
    expect(groups.map((f) => f.status)).toEqual(["FAIL", "PASS", "PASS", "PASS", "PASS"]);
    expect(groups[0].message).toBe(`${a.logGroups.names[0]} keeps its events 30 days, fewer than the intended 365.`);
    // The remediation names the real rule, alarm, log group and key.
    const fix = drifted.findings
      .filter((f) => CHECKS.includes(f.checkId) && f.status === "FAIL")
      .map((f) => f.remediation.cli);
    expect(fix[0]).toContain(
      `aws events put-rule --name ${a.schedule.ruleName} --schedule-expression 'cron(0 5 * * ? *)' --state ENABLED --region ${sb.region}`,
    );
    expect(fix[1]).toContain(`aws cloudwatch enable-alarm-actions --alarm-names ${missed} --region ${sb.region}`);
    expect(fix[2]).toContain(
      `aws logs put-retention-policy --log-group-name ${a.logGroups.names[0]} --retention-in-days 365 --region ${sb.region}`,
    );
  });
});

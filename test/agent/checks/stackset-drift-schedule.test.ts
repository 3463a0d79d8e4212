/**
 * stackset-drift-schedule over schedules laid in moto's EventBridge Scheduler (management account)
 * and read with the agent's own collector, and over the fixture state for the cases around it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CreateScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import type { AuditManifest } from "../../../baseline";
import { driftScheduleIntent } from "../../../baseline/detection/stackset-drift-schedule";
import { collectDriftSchedule } from "../../../agent/collectors/stackset";
import * as check from "../../../agent/checks/stackset/stackset-drift-schedule";
import { failed, type ObservedState } from "../../../agent/model";
import { useMoto } from "../../helpers/moto";
import { agentClients } from "../collectors/_clients";
import { cleanManifest, cleanObserved, CTX, HOME, ORG, STACKSET_NAME } from "./fixtures";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const NAME = `${STACKSET_NAME}-drift`;
const WANT = driftScheduleIntent({ stackSetName: STACKSET_NAME, managementAccountId: ORG.management, maxAgeHours: 48 });
const ARN = `arn:aws:scheduler:${HOME}:${ORG.management}:schedule/default/${NAME}`;

/** Lays a schedule in moto as infra does, with `change` applied, and returns the state with its reading. */
async function observe(
  change: Partial<Record<"State" | "ScheduleExpression" | "RoleArn" | "Input" | "Arn", string>> = {},
) {
  env = agentClients(moto.endpoint);
  const scheduler = await env.get(SchedulerClient, ORG.management, HOME);
  await scheduler.send(
    new CreateScheduleCommand({
      Name: NAME,
      ScheduleExpression: change.ScheduleExpression ?? WANT.scheduleExpression,
      FlexibleTimeWindow: { Mode: "OFF" },
      State: (change.State ?? "ENABLED") as "ENABLED" | "DISABLED",
      Target: {
        Arn: change.Arn ?? WANT.targetArn,
        RoleArn: change.RoleArn ?? WANT.roleArn,
        Input: change.Input ?? JSON.stringify(WANT.input),
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    }),
  );
  const o: ObservedState = cleanObserved();
  o.memberBaseline!.driftSchedule = await collectDriftSchedule(scheduler, ORG.management, HOME, NAME);
  return o;
}

describe("stackset-drift-schedule over moto", () => {
  it("PASSes the schedule as infra lays it (rate(24 hours) for the default 48 h threshold), input compared by meaning", async () => {
    const o = await observe({ Input: JSON.stringify({ CallAs: "SELF", StackSetName: STACKSET_NAME }) });
    const [f] = check.evaluate(o, cleanManifest(), CTX);
    expect([f.status, f.account, f.region, f.resourceArn]).toEqual(["PASS", ORG.management, HOME, ARN]);
    expect(f.message).toBe(
      `The schedule ${NAME} is ENABLED and starts DetectStackSetDrift on ${STACKSET_NAME} as ${WANT.roleArn} every rate(24 hours) (intended at least rate(24 hours)).`,
    );
  });

  it("a more frequent rate than intended PASSes", async () => {
    expect(check.evaluate(await observe({ ScheduleExpression: "rate(6 hours)" }), cleanManifest(), CTX)[0].status).toBe(
      "PASS",
    );
  });

  it("FAILs naming every setting that differs", async () => {
    const o = await observe({
      State: "DISABLED",
      ScheduleExpression: "rate(3 days)",
      RoleArn: `arn:aws:iam::${ORG.management}:role/admin`,
      Arn: "arn:aws:scheduler:::aws-sdk:cloudformation:deleteStackSet",
      Input: '{"StackSetName":"other"}',
    });
    const [f] = check.evaluate(o, cleanManifest(), CTX);
    expect(f.status).toBe("FAIL");
    expect(f.message).toBe(
      `The schedule ${NAME} is DISABLED, not ENABLED; it targets arn:aws:scheduler:::aws-sdk:cloudformation:deleteStackSet, not ${WANT.targetArn}; it runs as arn:aws:iam::${ORG.management}:role/admin, not ${WANT.roleArn}; its input is {"StackSetName":"other"}, not {"StackSetName":"${STACKSET_NAME}","CallAs":"SELF"}; it runs every rate(3 days), less often than the intended rate(24 hours) (half of audit.stackSetDriftMaxAgeHours, 48 h).`,
    );
  });

  it("a cron expression cannot be compared: FAIL saying so", async () => {
    const [f] = check.evaluate(await observe({ ScheduleExpression: "cron(0 3 * * ? *)" }), cleanManifest(), CTX);
    expect(f.message).toBe(
      "Its expression cron(0 3 * * ? *) is not a rate(...) the audit can compare with the intended rate(24 hours).",
    );
  });

  it("a schedule that does not exist is read as absent (ResourceNotFoundException) and FAILs", async () => {
    env = agentClients(moto.endpoint);
    const scheduler = await env.get(SchedulerClient, ORG.management, HOME);
    const o = cleanObserved();
    o.memberBaseline!.driftSchedule = await collectDriftSchedule(scheduler, ORG.management, HOME, NAME);
    expect(o.memberBaseline!.driftSchedule.schedule).toEqual({ ok: true, value: undefined });
    const [f] = check.evaluate(o, cleanManifest(), CTX);
    expect([f.status, f.message]).toEqual([
      "FAIL",
      `The schedule ${NAME} does not exist in the management account's default group in ${HOME}, so no drift detection of ${STACKSET_NAME} is started; run \`pulumi up\`.`,
    ]);
  });
});

describe("stackset-drift-schedule: around the reading", () => {
  it("follows audit.stackSetDriftMaxAgeHours: with 12 h, the fixture's rate(24 hours) is too rare", () => {
    const m = cleanManifest();
    const strict: AuditManifest = { ...m, stackSet: { ...m.stackSet!, driftMaxAgeHours: 12 } };
    const [f] = check.evaluate(cleanObserved(), strict, CTX);
    expect(f.message).toContain(
      "less often than the intended rate(6 hours) (half of audit.stackSetDriftMaxAgeHours, 12 h)",
    );
  });

  it("an ended schedule FAILs; a failed read or a state without it is an ERROR; no stackSet area is NOT_APPLICABLE", () => {
    const o = cleanObserved();
    const s = o.memberBaseline!.driftSchedule!;
    o.memberBaseline!.driftSchedule = {
      ...s,
      schedule: {
        ok: true,
        value: { ...(s.schedule.ok ? s.schedule.value : {}), endDate: "2020-01-01T00:00:00.000Z" },
      },
    };
    expect(check.evaluate(o, cleanManifest(), CTX)[0].message).toContain(
      `The schedule ${NAME} ended at 2020-01-01T00:00:00.000Z and starts nothing more`,
    );
    o.memberBaseline!.driftSchedule = {
      ...s,
      schedule: failed({
        name: "AccessDeniedException",
        message: "denied",
        kind: "access-denied",
        operation: "GetSchedule",
        service: "scheduler",
        account: ORG.management,
        region: HOME,
      }),
    };
    const [e] = check.evaluate(o, cleanManifest(), CTX);
    expect([e.status, e.error?.operation]).toEqual(["ERROR", "GetSchedule"]);
    delete o.memberBaseline!.driftSchedule;
    expect(check.evaluate(o, cleanManifest(), CTX).map((f) => [f.status, f.error?.name])).toEqual([
      ["ERROR", "NotCollected"],
    ]);
    const m: AuditManifest = { ...cleanManifest(), stackSet: undefined };
    expect(check.evaluate(cleanObserved(), m, CTX).map((f) => f.status)).toEqual(["NOT_APPLICABLE"]);
  });

  it("ratePeriodHours reads minutes, hours and days, and nothing else", () => {
    expect(
      ["rate(30 minutes)", "rate(1 hour)", "rate(2 days)", "cron(0 * * * ? *)", "at(2026-01-01T00:00:00)"].map(
        check.ratePeriodHours,
      ),
    ).toEqual([0.5, 1, 48, undefined, undefined]);
  });
});

import { describe, expect, it } from "vitest";
import type { AuditResult, Finding } from "../../agent/finding";
import {
  digestRun,
  EVENT_DETAIL_TYPE,
  EVENT_SOURCE,
  messageBody,
  messageSubject,
  notifyRun,
  SNS_MAX_BYTES,
  type NotifySettings,
} from "../../agent/notify";
import { diffRuns } from "../../agent/report/diff";
import { MOTO_CREDENTIALS, useMoto } from "../helpers/moto";
import { wireNotifications } from "./_notify-wiring";
import { MOTO_DEFAULT_ACCOUNT, motoSettings, REGION } from "./collectors/_clients";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, SMALL_RESULT, TRAIL_PASS } from "./report/fixtures";

const moto = useMoto();
const wire = () => wireNotifications(moto.endpoint);

const PREVIOUS: AuditResult = {
  ...SMALL_RESULT,
  findings: [TRAIL_PASS, CONFIG_ERROR, { ...FOREIGN_POLICY_FAIL, status: "PASS" }],
};
const NEXT_RUN = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f";
/** The second run: the bucket policy drifted (new CRITICAL FAIL); the Config error is still there. */
const CURRENT: AuditResult = {
  ...SMALL_RESULT,
  runId: NEXT_RUN,
  now: "2026-11-23T10:00:00.000Z",
  startedAt: "2026-11-23T10:00:01.000Z",
  finishedAt: "2026-11-23T10:00:09.000Z",
  findings: [TRAIL_PASS, CONFIG_ERROR, FOREIGN_POLICY_FAIL],
};
const compared = (previous: AuditResult, current: AuditResult): AuditResult => ({
  ...current,
  changes: diffRuns(previous, current),
});
const REPORTS = [
  `s3://audit-reports/orgwarden-audit/dev/2026/11/23/${NEXT_RUN}/report.md`,
  `s3://audit-reports/orgwarden-audit/dev/2026/11/23/${NEXT_RUN}/report.html`,
  `s3://audit-reports/orgwarden-audit/dev/2026/11/23/${NEXT_RUN}/report.json`,
  "s3://audit-reports/orgwarden-audit/dev/latest/report.html",
];

const settings = (
  w: { topicArn: string; busArn: string },
  when: NotifySettings["when"] = "changes",
): NotifySettings => ({
  topicArn: w.topicArn,
  busArn: w.busArn,
  when,
  region: REGION,
});
const send = (r: AuditResult, s: NotifySettings) =>
  notifyRun(r, REPORTS, s, motoSettings(moto.endpoint), { ...MOTO_CREDENTIALS });

describe("notifications (moto: SNS → SQS subscription, EventBridge rule → SQS target)", () => {
  it("a new CRITICAL FAIL: one message reaches the topic's subscriber and one event the rule's target", async () => {
    const w = await wire();
    const run = compared(PREVIOUS, CURRENT);
    const outcome = await send(run, settings(w));
    expect(outcome).toMatchObject({
      triggered: true,
      newOrWorse: 1,
      message: { status: "sent" },
      event: { status: "sent" },
    });

    const messages = await w.alertMessages();
    expect(messages).toHaveLength(1);
    // SNS's SQS envelope (raw delivery off): the subject and the message as published.
    const envelope = JSON.parse(messages[0].Body!);
    expect(envelope.TopicArn).toBe(w.topicArn);
    expect(envelope.Subject).toBe("orgwarden audit dev: 1 new or worse (FAIL 1, ERROR 1)");
    const key = `orgwarden-audit/dev/2026/11/23/${NEXT_RUN}/report.html`;
    expect(envelope.Message).toBe(
      [
        `orgwarden audit of stack dev, run ${NEXT_RUN}: INCOMPLETE (exit code 3).`,
        `Compared with run ${SMALL_RESULT.runId}.`,
        "Findings: FAIL 1 · ERROR 1 · PASS 1 · NOT_APPLICABLE 0 · waived 0.",
        "Changes: 1 new or worse · 0 resolved · 1 still failing.",
        "",
        "New or worse (1):",
        `- CRITICAL FAIL (new) archive-bucket-policy · 222222222222 · us-east-1 · ${FOREIGN_POLICY_FAIL.resourceArn}`,
        `  ${FOREIGN_POLICY_FAIL.message}`,
        "",
        `Report: s3://audit-reports/${key}`,
        `Console: https://console.aws.amazon.com/s3/object/audit-reports?region=us-east-1&bucketType=general&prefix=${encodeURIComponent(key)}`,
      ].join("\n"),
    );

    const events = await w.auditEvents();
    expect(events).toHaveLength(1);
    const event = JSON.parse(events[0].Body!);
    expect(event).toMatchObject({
      source: EVENT_SOURCE,
      "detail-type": EVENT_DETAIL_TYPE,
      region: REGION,
    });
    expect(event.detail).toEqual({
      stack: "dev",
      runId: NEXT_RUN,
      exitCode: 3,
      verdict: "INCOMPLETE",
      counts: { PASS: 1, FAIL: 1, ERROR: 1, NOT_APPLICABLE: 0, waived: 0 },
      changes: { previousRunId: SMALL_RESULT.runId, newOrWorse: 1, resolved: 0, stillFailing: 1 },
      incomplete: 0,
      report: { bucket: "audit-reports", key, uri: `s3://audit-reports/${key}` },
    });
    w.destroy();
  });

  it('nothing new or worse and a complete run: nothing is published ("changes", the default)', async () => {
    const w = await wire();
    const outcome = await send(compared(CURRENT, { ...CURRENT, runId: SMALL_RESULT.runId }), settings(w));
    expect(outcome).toEqual({
      triggered: false,
      newOrWorse: 0,
      message: { status: "skipped", reason: "nothing new or worse, and the run is complete" },
      event: { status: "skipped", reason: "nothing new or worse, and the run is complete" },
    });
    expect(await w.alertMessages()).toEqual([]);
    expect(await w.auditEvents()).toEqual([]);
    w.destroy();
  });

  it('"always": the same quiet run still sends the message and the event, saying nothing is new', async () => {
    const w = await wire();
    const outcome = await send(compared(CURRENT, { ...CURRENT, runId: SMALL_RESULT.runId }), settings(w, "always"));
    expect(outcome).toMatchObject({
      triggered: true,
      newOrWorse: 0,
      message: { status: "sent" },
      event: { status: "sent" },
    });
    const [m] = await w.alertMessages();
    expect(JSON.parse(m.Body!).Message).toContain("Nothing new or worse.");
    const [e] = await w.auditEvents();
    expect(JSON.parse(e.Body!).detail.changes).toEqual({
      previousRunId: NEXT_RUN,
      newOrWorse: 0,
      resolved: 0,
      stillFailing: 2,
    });
    w.destroy();
  });

  it("an incomplete run with nothing new is still announced: what it could not read may have drifted", async () => {
    const w = await wire();
    const run = compared(CURRENT, { ...CURRENT, incomplete: ["account list unreadable: AccessDeniedException"] });
    const outcome = await send(run, settings(w));
    expect(outcome).toMatchObject({ triggered: true, newOrWorse: 0, message: { status: "sent" } });
    const body = JSON.parse((await w.alertMessages())[0].Body!).Message as string;
    expect(body).toContain(
      "The audit is incomplete (1 run-level errors):\n- account list unreadable: AccessDeniedException",
    );
    w.destroy();
  });

  it("a failed publish (the topic does not exist) is returned, and the event is still put", async () => {
    const w = await wire();
    const missing = `arn:aws:sns:${REGION}:${MOTO_DEFAULT_ACCOUNT}:no-such-topic`;
    const outcome = await send(compared(PREVIOUS, CURRENT), { ...settings(w), topicArn: missing });
    expect(outcome.message.status).toBe("failed");
    expect(outcome.message).toMatchObject({
      error: expect.stringMatching(new RegExp(`^SNS Publish to ${missing}: NotFound`)),
    });
    expect(outcome.event.status).toBe("sent");
    expect(await w.auditEvents()).toHaveLength(1);
    w.destroy();
  });

  it("a bus that does not exist: PutEvents' failure is returned, not thrown", async () => {
    const w = await wire();
    const missing = `arn:aws:events:${REGION}:${MOTO_DEFAULT_ACCOUNT}:event-bus/no-such-bus`;
    const outcome = await send(compared(PREVIOUS, CURRENT), { ...settings(w), busArn: missing });
    expect(outcome.message.status).toBe("sent");
    expect(outcome.event).toMatchObject({
      status: "failed",
      error: expect.stringContaining(`EventBridge PutEvents to ${missing}`),
    });
    w.destroy();
  });
});

describe("notification content", () => {
  const failing = (n: number, message = "drifted"): Finding => ({
    ...FOREIGN_POLICY_FAIL,
    id: `${FOREIGN_POLICY_FAIL.id}#${String(n).padStart(4, "0")}`,
    key: String(n).padStart(4, "0"),
    message,
  });

  it("a first run (nothing to compare with) lists every unwaived FAIL and ERROR as new; waived ones are counted, not listed", () => {
    const waived = { ...CONFIG_ERROR, waived: { reason: "known", expires: "2027-01-31", approvedBy: "lead" } };
    const d = digestRun(
      compared(undefined as never, { ...CURRENT, findings: [TRAIL_PASS, waived, FOREIGN_POLICY_FAIL] }),
      REPORTS,
      REGION,
    );
    expect(d.previousRunId).toBeNull();
    expect(d.alerting.map((a) => [a.id, a.why])).toEqual([[FOREIGN_POLICY_FAIL.id, "new"]]);
    expect(d.counts).toEqual({ PASS: 1, FAIL: 1, ERROR: 1, NOT_APPLICABLE: 0, waived: 1 });
  });

  it("a changed finding is listed when it got worse (severity up, or FAIL ↔ ERROR), not when it improved", () => {
    const before: AuditResult = {
      ...CURRENT,
      findings: [
        { ...FOREIGN_POLICY_FAIL, severity: "HIGH" },
        { ...CONFIG_ERROR, severity: "CRITICAL" },
      ],
    };
    const now: AuditResult = {
      ...CURRENT,
      runId: NEXT_RUN,
      findings: [FOREIGN_POLICY_FAIL, { ...CONFIG_ERROR, severity: "HIGH" }],
    };
    const d = digestRun(compared(before, now), REPORTS, REGION);
    expect(d.alerting.map((a) => [a.checkId, a.why])).toEqual([["archive-bucket-policy", "FAIL HIGH → FAIL CRITICAL"]]);
    const toError = digestRun(
      compared(CURRENT, {
        ...CURRENT,
        findings: [TRAIL_PASS, CONFIG_ERROR, { ...FOREIGN_POLICY_FAIL, status: "ERROR" }],
      }),
      REPORTS,
      REGION,
    );
    expect(toError.alerting.map((a) => a.why)).toEqual(["FAIL → ERROR"]);
  });

  it('the list stops at 50 entries with "… and N more"', () => {
    const d = digestRun({ ...CURRENT, findings: Array.from({ length: 70 }, (_, n) => failing(n)) }, REPORTS, REGION);
    const body = messageBody(d);
    expect(body.match(/^- CRITICAL FAIL/gm)).toHaveLength(50);
    expect(body).toContain("\n… and 20 more (see the report)\n");
  });

  it("the message never passes SNS's 256 KiB: long entries cut the list earlier and say how many are left out", () => {
    const long = "x".repeat(20_000);
    const d = digestRun(
      { ...CURRENT, findings: Array.from({ length: 30 }, (_, n) => failing(n, long)) },
      REPORTS,
      REGION,
    );
    const body = messageBody(d);
    const shown = body.match(/^- CRITICAL FAIL/gm)!.length;
    // Each entry is ≈ 20 kB: 12 fit in 256 KiB with the head and the tail, a 13th would not.
    expect(shown).toBe(12);
    expect(body).toContain(`… and ${30 - shown} more (see the report)`);
    expect(Buffer.byteLength(body) + Buffer.byteLength(messageSubject(d))).toBeLessThanOrEqual(SNS_MAX_BYTES);
    // The report link is never cut.
    expect(body.endsWith(encodeURIComponent(`orgwarden-audit/dev/2026/11/23/${NEXT_RUN}/report.html`))).toBe(true);
  });
});

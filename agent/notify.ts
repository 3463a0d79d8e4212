/**
 * Notifications after a nightly run: one message to the security-alerts SNS topic and one
 * `orgwarden.audit / Audit Completed` event on the central bus, sent when the run has something
 * new or worse (or on every run when configured "always"). The reports are written before this
 * runs, so a failed publish loses no report: it is returned (and logged by the caller), never thrown.
 */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { clientConfig, type ClientSettings } from "./aws/clients";
import { SEVERITY_ORDER, type AuditResult, type ExitCode, type FindingStatus } from "./finding";
import type { AwsCredentialsInput } from "./options";
import type { Change } from "./report/diff";
import { needsAction, verdictOf } from "./report/summary";

export const EVENT_SOURCE = "orgwarden.audit";
export const EVENT_DETAIL_TYPE = "Audit Completed";
/** SNS's limit for one Publish (message, subject and attributes together): 256 KiB (SNS API reference, Publish). */
export const SNS_MAX_BYTES = 262_144;
/** Entries listed in the message before "and N more"; the byte limit may stop the list earlier. */
export const MESSAGE_MAX_ENTRIES = 50;

export type NotifyWhen = "changes" | "always";

export interface NotifySettings {
  /** The security-alerts topic; no message when absent. */
  topicArn?: string;
  /** The central bus (ARN or name); no event when absent. */
  busArn?: string;
  /** "changes": only when something is new or worse (or the run is incomplete); "always": after every run. */
  when: NotifyWhen;
  /** The function's region: where the report bucket is, for the console link. */
  region: string;
}

/** One entry of the "new or worse" list. */
export interface Alerting {
  id: string;
  status: FindingStatus;
  severity: (typeof SEVERITY_ORDER)[number];
  checkId: string;
  account: string;
  region: string;
  resourceArn: string;
  message: string;
  /** "new" (failing now, not before) or the transition of a changed finding, e.g. "FAIL → ERROR", "FAIL HIGH → FAIL CRITICAL". */
  why: string;
}

export interface RunDigest {
  stack: string;
  runId: string;
  exitCode: ExitCode;
  counts: Record<FindingStatus, number> & { waived: number };
  /** null on a first run (or when no previous report was compared): then every unwaived FAIL/ERROR is listed as new. */
  previousRunId: string | null;
  alerting: Alerting[];
  resolved: number;
  stillFailing: number;
  /** Run-level errors: the audit did not see everything. */
  incomplete: string[];
  report?: { uri: string; bucket: string; key: string; consoleUrl: string };
}

type Sent =
  { status: "sent"; id: string } | { status: "skipped"; reason: string } | { status: "failed"; error: string };

export interface NotifyOutcome {
  /** Whether this run had anything to tell ("changes") or was told anyway ("always"). */
  triggered: boolean;
  /** Entries of the "new or worse" list (counted whether or not anything was sent). */
  newOrWorse: number;
  message: Sent;
  event: Sent;
}

const rank = (s: Alerting["severity"]) => SEVERITY_ORDER.indexOf(s);

/** A changed finding is worse when it needs action now and its severity rose or it moved between FAIL and ERROR. */
function worse(c: Change): boolean {
  if (!c.now || !c.before || !(c.now.status === "FAIL" || c.now.status === "ERROR")) return false;
  return rank(c.now.severity) < rank(c.before.severity) || c.now.status !== c.before.status;
}

const transitionText = (c: Change) => {
  const sev = c.before!.severity !== c.now!.severity;
  const side = (s: NonNullable<Change["now"]>) => (sev ? `${s.status} ${s.severity}` : s.status);
  return `${side(c.before!)} → ${side(c.now!)}`;
};

/** The report link: the dated report.html (latest/ is overwritten by the next run), else the first report written. */
export function reportLink(reports: string[], region: string): RunDigest["report"] {
  const dated = reports.filter((u) => !u.includes("/latest/"));
  const uri = dated.find((u) => u.endsWith("/report.html")) ?? dated[0] ?? reports[0];
  if (!uri) return undefined;
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) return undefined;
  const [, bucket, key] = m;
  const consoleUrl = `https://console.aws.amazon.com/s3/object/${bucket}?region=${region}&bucketType=general&prefix=${encodeURIComponent(key)}`;
  return { uri, bucket, key, consoleUrl };
}

/** What the message and the event say about a run; waived findings are counted, never alerted on. */
export function digestRun(result: AuditResult, reports: string[], region: string): RunDigest {
  const counts = { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0, waived: 0 };
  for (const f of result.findings) {
    counts[f.status] += 1;
    if (f.waived) counts.waived += 1;
  }
  const byId = new Map(result.findings.map((f) => [f.id, f]));
  const alerting: Alerting[] = [];
  const add = (id: string, why: string) => {
    const f = byId.get(id);
    if (f && !f.waived && needsAction(f)) alerting.push({ ...pick(f), why });
  };
  const c = result.changes;
  if (c && c.previousRunId !== null) {
    for (const n of c.new) add(n.id, "new");
    for (const ch of c.changed.filter(worse)) add(ch.id, transitionText(ch));
  } else {
    // Nothing to compare with: everything that needs action is news to whoever reads this first message.
    for (const f of result.findings) add(f.id, "new");
  }
  alerting.sort((a, b) => rank(a.severity) - rank(b.severity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    stack: result.stack,
    runId: result.runId,
    exitCode: result.exitCode,
    counts,
    previousRunId: c?.previousRunId ?? null,
    alerting,
    resolved: c?.resolved.length ?? 0,
    stillFailing: c?.stillFailing.length ?? 0,
    incomplete: result.incomplete,
    report: reportLink(reports, region),
  };
}

function pick(f: AuditResult["findings"][number]): Omit<Alerting, "why"> {
  const { id, status, severity, checkId, account, region, resourceArn, message } = f;
  return { id, status, severity, checkId, account, region, resourceArn, message };
}

/** An incomplete run is always news: what it could not read may be what drifted. */
export const hasNews = (d: RunDigest) => d.alerting.length > 0 || d.incomplete.length > 0;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** SNS subjects: ASCII, no line breaks, at most 100 characters. */
export function messageSubject(d: RunDigest): string {
  const what = d.alerting.length > 0 ? `${d.alerting.length} new or worse` : verdictOf(d.exitCode).toLowerCase();
  const s = `orgwarden audit ${d.stack}: ${what} (FAIL ${d.counts.FAIL}, ERROR ${d.counts.ERROR})`;
  return s.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
}

const entryLine = (a: Alerting) =>
  `- ${a.severity} ${a.status} (${a.why}) ${a.checkId} · ${a.account} · ${a.region} · ${a.resourceArn}\n  ${a.message}`;

/**
 * The message body. The list is cut at `maxEntries`, and earlier when the whole Publish would pass
 * `maxBytes` (a long message or resource name): "… and N more" then says how many are not shown.
 */
export function messageBody(d: RunDigest, maxBytes = SNS_MAX_BYTES, maxEntries = MESSAGE_MAX_ENTRIES): string {
  const head = [
    `orgwarden audit of stack ${d.stack}, run ${d.runId}: ${verdictOf(d.exitCode)} (exit code ${d.exitCode}).`,
    d.previousRunId === null
      ? "First run (no previous report to compare with)."
      : `Compared with run ${d.previousRunId}.`,
    `Findings: FAIL ${d.counts.FAIL} · ERROR ${d.counts.ERROR} · PASS ${d.counts.PASS} · NOT_APPLICABLE ${d.counts.NOT_APPLICABLE} · waived ${d.counts.waived}.`,
    `Changes: ${d.alerting.length} new or worse · ${d.resolved} resolved · ${d.stillFailing} still failing.`,
    "",
  ];
  const tail = [
    ...(d.incomplete.length > 0
      ? ["", `The audit is incomplete (${d.incomplete.length} run-level errors):`, ...d.incomplete.map((e) => `- ${e}`)]
      : []),
    "",
    d.report
      ? `Report: ${d.report.uri}\nConsole: ${d.report.consoleUrl}`
      : "Report: none written (no report bucket configured).",
  ];
  const subject = messageSubject(d);
  const lines = [...head, d.alerting.length > 0 ? `New or worse (${d.alerting.length}):` : "Nothing new or worse."];
  const more = (n: number) => (n > 0 ? [`… and ${n} more (see the report)`] : []);
  const fits = (body: string[]) => bytes(subject) + bytes([...body, ...tail].join("\n")) <= maxBytes;
  let shown = 0;
  for (const a of d.alerting.slice(0, maxEntries)) {
    const next = [...lines, entryLine(a)];
    if (!fits([...next, ...more(d.alerting.length - shown - 1)])) break;
    lines.push(entryLine(a));
    shown += 1;
  }
  const text = [...lines, ...more(d.alerting.length - shown), ...tail].join("\n");
  if (bytes(subject) + bytes(text) > maxBytes) throw new Error(`the notification does not fit in ${maxBytes} bytes`);
  return text;
}

/** The event's detail: counts and where the report is, never the findings themselves (EventBridge's 256 KiB limit). */
export function eventDetail(d: RunDigest) {
  return {
    stack: d.stack,
    runId: d.runId,
    exitCode: d.exitCode,
    verdict: verdictOf(d.exitCode),
    counts: d.counts,
    changes: {
      previousRunId: d.previousRunId,
      newOrWorse: d.alerting.length,
      resolved: d.resolved,
      stillFailing: d.stillFailing,
    },
    incomplete: d.incomplete.length,
    report: d.report ? { bucket: d.report.bucket, key: d.report.key, uri: d.report.uri } : null,
  };
}

const errorText = (err: unknown) => {
  const e = err as Error;
  return `${e.name}: ${e.message}`;
};

/** Publishes the message and puts the event (each only when configured); a failure of one does not stop the other. */
export async function notifyRun(
  result: AuditResult,
  reports: string[],
  s: NotifySettings,
  clientSettings: ClientSettings,
  credentials: AwsCredentialsInput,
): Promise<NotifyOutcome> {
  const d = digestRun(result, reports, s.region);
  const triggered = s.when === "always" || hasNews(d);
  const skipped = (what: string): Sent => ({ status: "skipped", reason: `no ${what} configured` });
  const quiet: Sent = { status: "skipped", reason: "nothing new or worse, and the run is complete" };
  const newOrWorse = d.alerting.length;
  if (!triggered) return { triggered, newOrWorse, message: quiet, event: quiet };
  const message = s.topicArn
    ? await publish(d, s.topicArn, s.region, clientSettings, credentials)
    : skipped("alert topic");
  const event = s.busArn ? await putEvent(d, s.busArn, s.region, clientSettings, credentials) : skipped("event bus");
  return { triggered, newOrWorse, message, event };
}

/** The region of an ARN (topic or bus): the client must call that region. */
const arnRegion = (arn: string, fallback: string) =>
  arn.startsWith("arn:") ? arn.split(":")[3] || fallback : fallback;

async function publish(
  d: RunDigest,
  topicArn: string,
  region: string,
  cs: ClientSettings,
  creds: AwsCredentialsInput,
): Promise<Sent> {
  const sns = new SNSClient(clientConfig(cs, arnRegion(topicArn, region), creds));
  try {
    const r = await sns.send(
      new PublishCommand({ TopicArn: topicArn, Subject: messageSubject(d), Message: messageBody(d) }),
    );
    return { status: "sent", id: r.MessageId ?? "" };
  } catch (err) {
    return { status: "failed", error: `SNS Publish to ${topicArn}: ${errorText(err)}` };
  } finally {
    sns.destroy();
  }
}

async function putEvent(
  d: RunDigest,
  busArn: string,
  region: string,
  cs: ClientSettings,
  creds: AwsCredentialsInput,
): Promise<Sent> {
  const events = new EventBridgeClient(clientConfig(cs, arnRegion(busArn, region), creds));
  try {
    const r = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: busArn,
            Source: EVENT_SOURCE,
            DetailType: EVENT_DETAIL_TYPE,
            Detail: JSON.stringify(eventDetail(d)),
          },
        ],
      }),
    );
    // PutEvents answers 200 with a per-entry error: a partial failure is still a failure.
    const entry = r.Entries?.[0];
    if ((r.FailedEntryCount ?? 0) > 0 || !entry?.EventId)
      return {
        status: "failed",
        error: `EventBridge PutEvents to ${busArn}: ${entry?.ErrorCode ?? "no event id"}: ${entry?.ErrorMessage ?? ""}`,
      };
    return { status: "sent", id: entry.EventId };
  } catch (err) {
    return { status: "failed", error: `EventBridge PutEvents to ${busArn}: ${errorText(err)}` };
  } finally {
    events.destroy();
  }
}

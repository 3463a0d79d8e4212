/**
 * The alert pipeline over moto: the sandbox lays the two alert topics (own keys, policies, an
 * e-mail subscriber), the central bus with its policy and rules, and the forwarding rules in every
 * account × governed region, from baseline/detection/alert-pipeline.ts as infra does. moto serves
 * every read (SNS, EventBridge). One seeded sandbox for the file: audited as laid, then drifted
 * (topic policy and bus policy widened to everyone, a central pattern narrowed, a forwarding rule
 * disabled, another retargeted outside the organization) and audited again.
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

const IDS = ["alert-topics", "event-bus-policy", "event-bus-rules", "event-forwarding-rules"];
const of = (r: AuditResult, checkId: string) => r.findings.filter((f) => f.checkId === checkId);
const notPass = (r: AuditResult, checkId: string) =>
  of(r, checkId)
    .filter((f) => f.status !== "PASS")
    .map((f) => [f.status, f.severity, f.account, f.region, f.key ?? "", f.message]);

beforeAll(async () => {
  endpoint = (await startMoto()).endpoint;
  await resetMoto(endpoint);
  sb = await seed(endpoint);
  clean = await audit(sb);
  const [m0, m1] = sb.accounts.members;
  for (const drift of [
    { kind: "alert-topic-public" },
    { kind: "event-bus-public" },
    { kind: "central-rule-narrowed" },
    { kind: "forwarding-rule-disabled", account: m0, region: "eu-west-1" },
    { kind: "forwarding-rule-retargeted", account: m1, region: "us-east-1" },
  ] as const)
    await applyDrift(sb, { kind: "alerts", drift });
  drifted = await audit(sb);
});
afterAll(async () => {
  if (endpoint) await resetMoto(endpoint);
});

describe("alert topics, central bus and forwarding rules over moto", () => {
  it("the sandbox as laid: every finding of the four checks PASSes, one per topic part, bus, rule and account × region × rule", () => {
    for (const id of IDS) expect(notPass(clean, id), id).toEqual([]);
    const p = sb.manifest.detectionPipeline!;
    const sec = sb.accounts.security;
    expect(of(clean, "alert-topics").map((f) => [f.account, f.key ?? "", f.message])).toEqual([
      [
        sec,
        "",
        `Topic arn:aws:sns:us-east-1:${sec}:orgwarden-security-alerts is encrypted with its own key ${p.keyArns["security-alerts"]}; every e-mail subscriber (1) is subscribed and confirmed, nothing else is.`,
      ],
      [
        sec,
        "policy",
        `The policy of topic arn:aws:sns:us-east-1:${sec}:orgwarden-security-alerts means the same as the intended policy.`,
      ],
      [
        sb.accounts.management,
        "",
        `Topic arn:aws:sns:us-east-1:${sb.accounts.management}:orgwarden-cis-alarms is encrypted with its own key ${p.keyArns["cis-alarms"]}; every e-mail subscriber (1) is subscribed and confirmed, nothing else is.`,
      ],
      [
        sb.accounts.management,
        "policy",
        `The policy of topic arn:aws:sns:us-east-1:${sb.accounts.management}:orgwarden-cis-alarms means the same as the intended policy.`,
      ],
    ]);
    expect(of(clean, "event-bus-policy").map((f) => f.message)).toEqual([
      `The policy of the central bus arn:aws:events:us-east-1:${sec}:event-bus/orgwarden-security means the same as the intended policy.`,
    ]);
    expect(of(clean, "event-bus-rules").map((f) => f.key)).toEqual([
      "rule:orgwarden-security-guardduty-high",
      "rule:orgwarden-security-securityhub-high",
      ...of(clean, "event-bus-rules")
        .slice(2)
        .map((_, n) => `rule:orgwarden-security-cis-events-${n + 1}`),
    ]);
    const accounts = [sb.accounts.management, sb.accounts.logArchive, sec, ...sb.accounts.members];
    const rules = of(clean, "event-forwarding-rules");
    expect(rules.length).toBe(accounts.length * sb.governedRegions.length * (of(clean, "event-bus-rules").length - 1));
    expect(new Set(rules.map((f) => `${f.account}/${f.region}`)).size).toBe(
      accounts.length * sb.governedRegions.length,
    );
  });

  it("drifted: the topic open to everyone and the bus open to everyone are CRITICAL, naming the statement", () => {
    const sec = sb.accounts.security;
    const topic = notPass(drifted, "alert-topics");
    expect(topic.map((f) => f.slice(0, 5))).toEqual([["FAIL", "CRITICAL", sec, "us-east-1", "added:Everyone"]]);
    expect(topic[0][5]).toContain("anyone (*) without a condition limiting it to the organization");
    const bus = notPass(drifted, "event-bus-policy");
    expect(bus.map((f) => f.slice(0, 5))).toEqual([["FAIL", "CRITICAL", sec, "us-east-1", "added:AnyonePutEvents"]]);
  });

  it("drifted: the narrowed GuardDuty pattern FAILs (HIGH) with both patterns; the other central rules still PASS", () => {
    const r = notPass(drifted, "event-bus-rules");
    expect(r.map((f) => f.slice(0, 5))).toEqual([
      ["FAIL", "HIGH", sb.accounts.security, "us-east-1", "rule:orgwarden-security-guardduty-high"],
    ]);
    expect(r[0][5]).toContain(
      'Rule orgwarden-security-guardduty-high on the central bus matches other events than the baseline\'s pattern (intended {"source":["aws.guardduty"],"detail-type":["GuardDuty Finding"],"detail":{"severity":[{"numeric":[">=",7]}]}}',
    );
  });

  it("drifted: the disabled forwarding rule is HIGH, the retargeted one CRITICAL, each naming account, region and rule", () => {
    const [m0, m1] = sb.accounts.members;
    // Findings come in account order, and the sandbox's account ids are drawn anew each run.
    const byMember = (r: unknown[]) => [m0, m1].indexOf(r[2] as string);
    expect(notPass(drifted, "event-forwarding-rules").sort((a, b) => byMember(a) - byMember(b))).toEqual([
      [
        "FAIL",
        "HIGH",
        m0,
        "eu-west-1",
        "rule:orgwarden-forward-findings",
        `Forwarding rule orgwarden-forward-findings of account ${m0} in eu-west-1 is DISABLED, not ENABLED.`,
      ],
      [
        "FAIL",
        "CRITICAL",
        m1,
        "us-east-1",
        "rule:orgwarden-forward-findings",
        `Forwarding rule orgwarden-forward-findings of account ${m1} in us-east-1 does not send to arn:aws:events:us-east-1:${sb.accounts.security}:event-bus/orgwarden-security; forwarding rule orgwarden-forward-findings of account ${m1} in us-east-1 also sends to arn:aws:events:us-east-1:999999999999:event-bus/collector, which the baseline does not.`,
      ],
    ]);
  });

  it("the remediation names the real rule, bus and role", () => {
    const [m0] = sb.accounts.members;
    const f = of(drifted, "event-forwarding-rules").find((x) => x.status === "FAIL" && x.account === m0)!;
    expect(f.remediation.cli).toContain(`aws events enable-rule --region eu-west-1 --name orgwarden-forward-findings`);
    expect(f.remediation.cli).toContain(
      `Arn=arn:aws:events:us-east-1:${sb.accounts.security}:event-bus/orgwarden-security,RoleArn=arn:aws:iam::${m0}:role/orgwarden-event-forwarder`,
    );
  });
});

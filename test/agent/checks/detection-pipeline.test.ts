/**
 * The alert-pipeline checks on observed states built from the intent itself (what moto cannot
 * show: a subscription PendingConfirmation; a failed read; a manifest without the area or from
 * another release; a pattern written in another order). The moto scenarios are
 * test/agent/scenarios/detection-pipeline.test.ts.
 */
import { describe, expect, it } from "vitest";
import { minify } from "../../../baseline";

import * as alertTopics from "../../../agent/checks/detection-pipeline/alert-topics";
import * as busPolicy from "../../../agent/checks/detection-pipeline/event-bus-policy";
import * as busRules from "../../../agent/checks/detection-pipeline/event-bus-rules";
import * as forwarding from "../../../agent/checks/detection-pipeline/event-forwarding-rules";
import { collected, failed, type CollectError, type ObservedState } from "../../../agent/model";
import type { AuditManifest } from "../../../baseline";
import {
  cleanManifest,
  cleanObserved,
  CTX,
  HOME,
  ORG,
  OTHER_REGION,
  PIPELINE_AREA,
  pipelineFixtureIntent,
} from "./fixtures";

const KEY = (n: string) => PIPELINE_AREA.keyArns[n === "1" ? "security-alerts" : "cis-alarms"];
const manifest = (): AuditManifest => cleanManifest();
const observed = (_intent: unknown): ObservedState => cleanObserved();
const withoutArea = (): AuditManifest => ({ ...cleanManifest(), detectionPipeline: undefined });

const intent = () => pipelineFixtureIntent();
const statuses = (fs: { status: string }[]) => [...new Set(fs.map((f) => f.status))];
const denied: CollectError = {
  name: "AuthorizationErrorException",
  message: "User is not authorized to perform: SNS:GetTopicAttributes",
  kind: "access-denied",
  operation: "GetTopicAttributes",
  service: "sns",
  account: ORG.security,
  region: HOME,
};

describe("alert-pipeline checks", () => {
  it("the pipeline as the intent lays it PASSes in all four checks, forwarding in every account × region × rule", () => {
    const o = observed(intent());
    for (const c of [alertTopics, busPolicy, busRules, forwarding])
      expect(statuses(c.evaluate(o, manifest(), CTX)), c.metadata.id).toEqual(["PASS"]);
    const cells = new Set(forwarding.evaluate(o, manifest(), CTX).map((f) => `${f.account}/${f.region}`));
    expect(cells.size).toBe(4 * 2);
  });

  it("a manifest without detectionPipeline: NOT_APPLICABLE saying to republish, never PASS", () => {
    for (const c of [alertTopics, busPolicy, busRules, forwarding]) {
      const fs = c.evaluate(observed(intent()), withoutArea(), CTX);
      expect(fs.map((f) => f.status)).toEqual(["NOT_APPLICABLE"]);
      expect(fs[0].message).toContain("the audit manifest has no detectionPipeline section");
    }
  });

  it("a manifest of another release (digest differs from what this agent rebuilds): ERROR", () => {
    const m = manifest();
    const other = { ...m, detectionPipeline: { ...m.detectionPipeline!, digest: "0".repeat(16) } };
    const fs = busRules.evaluate(observed(intent()), other, CTX);
    expect(fs.map((f) => [f.status, f.error?.name])).toEqual([["ERROR", "IntentDigestMismatch"]]);
  });

  it("a subscription PendingConfirmation FAILs, saying no alert reaches it", () => {
    const o = observed(intent());
    const t = o.detectionPipeline!.topics[1];
    t.subscriptions = collected([
      { subscriptionArn: "PendingConfirmation", protocol: "email", endpoint: "soc@example.com" },
    ]);
    const fs = alertTopics.evaluate(o, manifest(), CTX).filter((f) => f.status !== "PASS");
    expect(fs.map((f) => [f.account, f.message])).toEqual([
      [
        ORG.management,
        `The e-mail subscription of soc@example.com to topic ${t.arn} is PendingConfirmation: it was never confirmed, so no alert reaches it.`,
      ],
    ]);
  });

  it("another key, and a topic that is gone, FAIL", () => {
    const o = observed(intent());
    const [sec, cis] = o.detectionPipeline!.topics;
    sec.attributes = collected({ kmsMasterKeyId: "alias/aws/sns", policy: minify(intent().topics[0].policy) });
    cis.attributes = collected(undefined);
    const fs = alertTopics.evaluate(o, manifest(), CTX).filter((f) => f.status !== "PASS");
    expect(fs.map((f) => f.message)).toEqual([
      `Topic ${sec.arn} is encrypted with alias/aws/sns, not with its own key ${KEY("1")}.`,
      `Topic ${cis.arn} does not exist: nothing it should deliver reaches anyone.`,
    ]);
  });

  it("a failed read is ERROR naming the call, for topics, the bus and a cell's forwarding rules", () => {
    const o = observed(intent());
    o.detectionPipeline!.topics[0].attributes = failed(denied);
    o.detectionPipeline!.bus.bus = failed({ ...denied, operation: "DescribeEventBus", service: "events" });
    const cell = o.detection.find((d) => d.account === ORG.member && d.region === OTHER_REGION)!;
    cell.forwardingRules = failed({
      ...denied,
      operation: "DescribeRule",
      service: "events",
      account: ORG.member,
      region: OTHER_REGION,
    });
    const topicErr = alertTopics.evaluate(o, manifest(), CTX).filter((f) => f.status === "ERROR");
    expect(topicErr.map((f) => [f.account, f.error?.operation])).toEqual([[ORG.security, "GetTopicAttributes"]]);
    expect(busPolicy.evaluate(o, manifest(), CTX).map((f) => f.status)).toEqual(["ERROR"]);
    expect(statuses(busRules.evaluate(o, manifest(), CTX))).toEqual(["ERROR"]);
    const fwd = forwarding.evaluate(o, manifest(), CTX).filter((f) => f.status !== "PASS");
    expect(fwd.map((f) => [f.status, f.account, f.region])).toEqual(
      intent()
        .forwardingRules(ORG.member)
        .map(() => ["ERROR", ORG.member, OTHER_REGION]),
    );
  });

  it("a pattern written with other key and value order is the same pattern; a missing value is not", () => {
    const o = observed(intent());
    const rule = o.detectionPipeline!.bus.rules[1];
    const want = intent().centralRules[1];
    const reordered = {
      detail: want.pattern.detail,
      "detail-type": want.pattern["detail-type"],
      source: want.pattern.source,
    };
    rule.rule = collected({ state: "ENABLED", eventPattern: JSON.stringify(reordered) });
    expect(busRules.evaluate(o, manifest(), CTX)[1].status).toBe("PASS");
    const cis = o.detectionPipeline!.bus.rules[2];
    const p = intent().centralRules[2].pattern as { $or: unknown[] };
    cis.rule = collected({
      state: "ENABLED",
      eventPattern: JSON.stringify({ ...p, $or: [...p.$or].reverse().slice(1) }),
    });
    expect(busRules.evaluate(o, manifest(), CTX)[2].status).toBe("FAIL");
  });
});

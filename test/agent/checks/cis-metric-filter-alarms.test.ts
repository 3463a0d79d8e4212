/** The CIS check over the fixture organization: one change per failing case (the moto scenarios are in test/agent/scenarios). */
import { describe, expect, it } from "vitest";
import * as check from "../../../agent/checks/detection/cis-metric-filter-alarms";
import type { ObservedMetricAlarm, ObservedMetricFilter, ObservedState } from "../../../agent/model";
import type { AuditManifest } from "../../../baseline";
import { CIS_TOPIC_ARN, cleanManifest, cleanObserved, CTX, HOME, LOG_GROUP, ORG } from "./fixtures";

const GROUP_ARN = `arn:aws:logs:${HOME}:${ORG.management}:log-group:${LOG_GROUP}`;

function run(spoil: (o: ObservedState, m: AuditManifest) => void = () => {}) {
  const o = cleanObserved();
  const m = cleanManifest();
  spoil(o, m);
  return check.evaluate(o, m, CTX);
}
const filter = (o: ObservedState, cisId: string): ObservedMetricFilter =>
  (o.cis.filters.ok
    ? o.cis.filters.value!.find((f) => f.name.startsWith(`cis-${cisId.replace(".", "-")}-`))
    : undefined)!;
const alarm = (o: ObservedState, cisId: string): ObservedMetricAlarm =>
  (o.cis.alarms.ok ? o.cis.alarms.value.find((a) => a.name.startsWith(`cis-${cisId.replace(".", "-")}-`)) : undefined)!;
const only = (fs: ReturnType<typeof run>) =>
  fs.filter((f) => f.status !== "PASS").map((f) => [f.key, f.status, f.message]);

describe("cis-metric-filter-alarms over the fixture organization", () => {
  it("clean: 15 PASS findings, one per CIS control, keyed by its id on the log group", () => {
    const f = run();
    expect(f.map((x) => [x.id, x.status])).toEqual(
      Array.from({ length: 15 }, (_, n) => [
        `cis-metric-filter-alarms|${ORG.management}|${HOME}|${GROUP_ARN}#4.${n + 1}`,
        "PASS",
      ]),
    );
    expect(f[2].message).toBe(
      `CIS 4.3 (Usage of the root user, Security Hub CloudWatch.1): cis-4-3-RootAccountUsage on ${LOG_GROUP} matches the baseline pattern by meaning, and its alarm notifies ${CIS_TOPIC_ARN} on one event.`,
    );
    expect(f[2].remediation.cli).toContain(`--log-group-name '${LOG_GROUP}' --filter-name cis-4-3-RootAccountUsage`);
    expect(f[2].remediation.cli).toContain(`--alarm-actions ${CIS_TOPIC_ARN}`);
  });

  it.each<[string, (o: ObservedState) => void, string]>([
    [
      "threshold 2",
      (o) => (alarm(o, "4.3").threshold = 2),
      "alarm cis-4-3-RootAccountUsage: GreaterThanOrEqualToThreshold 2 does not fire on one event",
    ],
    [
      "GreaterThanThreshold 1",
      (o) => (alarm(o, "4.3").comparisonOperator = "GreaterThanThreshold"),
      "alarm cis-4-3-RootAccountUsage: GreaterThanThreshold 1 does not fire on one event",
    ],
    [
      "statistic Average",
      (o) => (alarm(o, "4.3").statistic = "Average"),
      "alarm cis-4-3-RootAccountUsage: its statistic Average may stay below 1; use Sum",
    ],
    [
      "3 datapoints to alarm",
      (o) => (alarm(o, "4.3").datapointsToAlarm = 3),
      "alarm cis-4-3-RootAccountUsage: it needs 3 breaching datapoints, not 1",
    ],
    [
      "a dimension on the alarm",
      (o) => (alarm(o, "4.3").dimensions = [{ name: "Account", value: "x" }]),
      "alarm cis-4-3-RootAccountUsage: it has dimensions the filter's metric never carries",
    ],
    [
      "metric value 0",
      (o) => (filter(o, "4.3").metrics[0].value = "0"),
      "metric filter cis-4-3-RootAccountUsage publishes CISBenchmark/RootAccountUsage=0, not CISBenchmark/RootAccountUsage with value 1",
    ],
    [
      "a pattern the parser cannot read",
      (o) => (filter(o, "4.3").pattern = '{ $.userIdentity.type = "Root" && $.x > 3 }'),
      `metric filter cis-4-3-RootAccountUsage's pattern cannot be compared with the baseline's (filter pattern: expected =, !=, NOT EXISTS or IS NULL at position 38 in "{ $.userIdentity.type = \\"Root\\" && $.x > 3 }"): { $.userIdentity.type = "Root" && $.x > 3 } (intended { $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })`,
    ],
    [
      "the alarm on the metric name in another namespace",
      (o) => (alarm(o, "4.3").namespace = "Custom"),
      "no alarm watches CISBenchmark/RootAccountUsage (cis-4-3-RootAccountUsage watches Custom/RootAccountUsage); create cis-4-3-RootAccountUsage",
    ],
  ])("%s: FAIL for that control only", (_what, spoil, problem) => {
    const f = run(spoil);
    expect(only(f)).toEqual([
      ["4.3", "FAIL", `CIS 4.3 (Usage of the root user, Security Hub CloudWatch.1): ${problem}.`],
    ]);
  });

  it("a filter renamed but equal by meaning and publishing the metric still PASSes", () => {
    expect(only(run((o) => (filter(o, "4.3").name = "root-usage")))).toEqual([]);
  });

  it("a second, good alarm on the metric is enough when the named one is disabled", () => {
    const f = run((o) => {
      const a = alarm(o, "4.3");
      if (o.cis.alarms.ok) o.cis.alarms.value.push({ ...a, name: "root-usage-pager" });
      a.actionsEnabled = false;
    });
    expect(only(f)).toEqual([]);
  });

  it("a log group that does not exist: every control FAILs naming the group", () => {
    const f = run((o) => (o.cis.filters = { ok: true, value: undefined }));
    expect(f.every((x) => x.status === "FAIL")).toBe(true);
    expect(f[0].message).toBe(
      `CIS 4.1 (Unauthorized API calls, Security Hub CloudWatch.2): log group ${LOG_GROUP} does not exist, so no metric filter can watch the trail.`,
    );
  });

  it("a control the manifest leaves out is a FAIL saying it is not audited, never a silent smaller scope", () => {
    const f = run(
      (_o, m) => (m.detection.cisAlarms.filters = m.detection.cisAlarms.filters.filter((x) => x.cisId !== "4.15")),
    );
    expect(f).toHaveLength(15);
    expect(only(f)).toEqual([
      [
        "4.15",
        "FAIL",
        "CIS 4.15 (AWS Organizations changes): the audit manifest does not list this control, so its filter and alarm are not audited; republish the manifest from the current baseline (pulumi up).",
      ],
    ]);
  });
});

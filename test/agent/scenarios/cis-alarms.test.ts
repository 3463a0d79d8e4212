/**
 * cis-metric-filter-alarms over moto: the sandbox lays the 15 filters and alarms as infra does
 * (moto implements PutMetricFilter/DescribeMetricFilters and PutMetricAlarm/DescribeAlarms); each
 * drift changes one control, and only that control's finding changes.
 */
import { describe, expect, it } from "vitest";
import { logGroupArn } from "../../../baseline";
import type { CisDriftChange } from "../../../agent/sandbox/seed-cis";
import { useMoto } from "../../helpers/moto";
import { audit, seed } from "./_harness";

const moto = useMoto();
const CHECK = "cis-metric-filter-alarms";
const ROOT = "CIS 4.3 (Usage of the root user, Security Hub CloudWatch.1)";

async function run(change?: CisDriftChange) {
  const sb = await seed(moto.endpoint, change ? [{ kind: "cis", cisId: "4.3", change }] : []);
  const r = await audit(sb);
  const cis = r.findings.filter((f) => f.checkId === CHECK);
  return { sb, r, cis, notPass: cis.filter((f) => f.status !== "PASS").map((f) => [f.key, f.status, f.message]) };
}

describe("cis-metric-filter-alarms over moto (SSM associations and GetTrailStatus CloudWatch/digest fields recorded)", () => {
  it("the sandbox as laid: 15 PASS findings on the trail's log group, one per CIS control", async () => {
    const { sb, cis } = await run();
    const arn = logGroupArn(sb.region, sb.accounts.management, sb.manifest.trail.logGroupName);
    expect(cis.map((f) => [f.id, f.status])).toEqual(
      Array.from({ length: 15 }, (_, n) => [
        `${CHECK}|${sb.accounts.management}|${sb.region}|${arn}#4.${n + 1}`,
        "PASS",
      ]),
    );
  });

  it("a pattern only reformatted (terms reordered, values quoted, spacing) still PASSes", async () => {
    const { sb, cis, notPass } = await run("pattern-reformatted");
    expect(notPass).toEqual([]);
    // The live text did change, and it is the only 4.3 filter: the PASS is by meaning, not by string.
    const seen = (cis.find((f) => f.key === "4.3")!.observed as { filters: { pattern: string }[] }).filters;
    expect(seen.map((x) => x.pattern)).toEqual([
      '{($.eventType != "AwsServiceEvent" && $.userIdentity.invokedBy NOT EXISTS && $.userIdentity.type = "Root")}',
    ]);
    expect(sb.manifest.detection.cisAlarms.filters[2].pattern).toBe(
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    );
  });

  it.each<[CisDriftChange, (sb: Awaited<ReturnType<typeof run>>["sb"]) => string]>([
    [
      "filter-deleted",
      (sb) =>
        `no metric filter on ${sb.manifest.trail.logGroupName} publishes CISBenchmark/RootAccountUsage; create cis-4-3-RootAccountUsage with the baseline pattern`,
    ],
    [
      "pattern-changed",
      (sb) =>
        `metric filter cis-4-3-RootAccountUsage's pattern differs in meaning from the baseline's: { ( $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" ) && ($.awsRegion = "${sb.region}") } (intended { $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })`,
    ],
    ["alarm-actions-disabled", () => "alarm cis-4-3-RootAccountUsage: its actions are disabled"],
    [
      "alarm-topic-wrong",
      (sb) =>
        `alarm cis-4-3-RootAccountUsage: it does not notify ${sb.manifest.detection.cisAlarms.topicArn} (alarm actions: arn:aws:sns:${sb.region}:${sb.accounts.management}:someone-elses-topic)`,
    ],
    ["alarm-deleted", () => "no alarm watches CISBenchmark/RootAccountUsage; create cis-4-3-RootAccountUsage"],
  ])("%s: FAIL for CIS 4.3 only, exit 1", async (change, problem) => {
    const { sb, r, notPass } = await run(change);
    expect(notPass).toEqual([["4.3", "FAIL", `${ROOT}: ${problem(sb)}.`]]);
    const f = r.findings.find((x) => x.checkId === CHECK && x.key === "4.3")!;
    expect(f.severity).toBe("HIGH");
    expect(f.remediation.cli).toContain(`--log-group-name '${sb.manifest.trail.logGroupName}'`);
    expect(f.remediation.cli).toContain(`--alarm-actions ${sb.manifest.detection.cisAlarms.topicArn}`);
    expect(r.exitCode).toBe(1);
  });
});

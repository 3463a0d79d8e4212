import { describe, expect, it } from "vitest";
import { CIS_FILTERS, cisAlarmName, cisFilterName } from "../../baseline/detection/cis-filters";
import { baselineStack, mutate, T, without } from "./baseline-stack";
import { check, res, urnOf } from "./helpers";

const P = "cis-metric-filters-alarms";
const f43 = CIS_FILTERS.find((f) => f.id === "4.3")!;

describe("cis-metric-filters-alarms (stack)", () => {
  it("passes the baseline", async () => expect((await check(P, baselineStack())).messages).toEqual([]));
  it("is not applicable to a stack without any trail (another team's stack)", async () => {
    const c = await check(P, [res(T.key, "k", {})]);
    expect(c).toMatchObject({
      messages: [],
      notApplicable: ["the stack has no CloudTrail trail, so there is no trail log group to monitor"],
    });
  });
  it("under an external trail (Control Tower), judges the filters on its named log group, trail or not", async () => {
    const ct = { externalTrailLogGroupName: "aws-controltower/CloudTrailLogs" };
    const onCt = (rs: ReturnType<typeof baselineStack>) =>
      CIS_FILTERS.reduce(
        (acc, f) => mutate(acc, cisFilterName(f), (i) => ({ ...i, logGroupName: ct.externalTrailLogGroupName })),
        without(rs, "org-trail"),
      );
    expect((await check(P, onCt(baselineStack()), { config: ct })).messages).toEqual([]);
    // The stack's own trail group no longer counts: the filters must be on Control Tower's.
    const c = await check(P, without(baselineStack(), "org-trail"), { config: ct });
    expect(c.messages).toHaveLength(CIS_FILTERS.length);
    expect(c.messages).toContain(
      `CIS 4.3 (${f43.title}): no metric filter on aws-controltower/CloudTrailLogs publishes CISBenchmark/RootAccountUsage; create ${cisFilterName(f43)} with the baseline pattern`,
    );
  });
  it("fails when one alarm is dropped", async () => {
    const c = await check(P, without(baselineStack(), `${cisFilterName(f43)}-alarm`));
    expect(c.messages).toEqual([
      `CIS 4.3 (${f43.title}): no alarm watches CISBenchmark/RootAccountUsage; create ${cisAlarmName(f43)}`,
    ]);
    expect(c.violations[0].urn).toBe(urnOf(T.filter, cisFilterName(f43)));
  });
  it("fails when one alarm's actions are disabled", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), `${cisFilterName(f43)}-alarm`, (i) => ({ ...i, actionsEnabled: false })),
        )
      ).messages,
    ).toEqual([`CIS 4.3 (${f43.title}): alarm ${cisFilterName(f43)}-alarm: its actions are disabled`]);
  });
  it("fails when a filter's pattern is weakened; whitespace does not matter", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), cisFilterName(f43), (i) => ({ ...i, pattern: '{ $.userIdentity.type = "Root" }' })),
        )
      ).messages,
    ).toEqual([
      `CIS 4.3 (${f43.title}): metric filter ${cisFilterName(f43)}'s pattern differs in meaning from the baseline's: { $.userIdentity.type = "Root" } (intended ${f43.pattern})`,
    ]);
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), cisFilterName(f43), (i) => ({ ...i, pattern: i.pattern.replace(/ /g, "  ") })),
        )
      ).messages,
    ).toEqual([]);
  });
  it("accepts a pattern equal by meaning (terms reordered, values quoted), as the audit does", async () => {
    const reordered =
      '{ $.eventType != "AwsServiceEvent" && ($.userIdentity.invokedBy NOT EXISTS) && $.userIdentity.type = Root }';
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), cisFilterName(f43), (i) => ({ ...i, pattern: reordered })),
        )
      ).messages,
    ).toEqual([]);
  });
  it("fails when the filter sits on another log group", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), cisFilterName(f43), (i) => ({ ...i, logGroupName: "/other" })),
        )
      ).messages,
    ).toEqual([
      `CIS 4.3 (${f43.title}): no metric filter on /org/cloudtrail publishes CISBenchmark/RootAccountUsage; create ${cisFilterName(f43)} with the baseline pattern`,
    ]);
  });
  it("judges the alarm as the audit does (the shared control): it must fire on one event and notify an SNS topic", async () => {
    const alarm = `${cisFilterName(f43)}-alarm`;
    const msgs = async (change: (i: Record<string, any>) => Record<string, any>) =>
      (await check(P, mutate(baselineStack(), alarm, change))).messages;
    expect(await msgs((i) => ({ ...i, threshold: 5 }))).toEqual([
      `CIS 4.3 (${f43.title}): alarm ${alarm}: GreaterThanOrEqualToThreshold 5 does not fire on one event`,
    ]);
    expect(await msgs((i) => ({ ...i, statistic: "Average" }))).toEqual([
      `CIS 4.3 (${f43.title}): alarm ${alarm}: its statistic Average may stay below 1; use Sum`,
    ]);
    expect(await msgs((i) => ({ ...i, alarmActions: ["arn:aws:lambda:us-east-1:111111111111:function:f"] }))).toEqual([
      `CIS 4.3 (${f43.title}): alarm ${alarm}: it does not notify an SNS topic (alarm actions: arn:aws:lambda:us-east-1:111111111111:function:f)`,
    ]);
    expect(await msgs((i) => ({ ...i, datapointsToAlarm: 2, evaluationPeriods: 3 }))).toEqual([
      `CIS 4.3 (${f43.title}): alarm ${alarm}: it needs 2 breaching datapoints, not 1`,
    ]);
  });
  it("fails when no trail delivers to CloudWatch Logs", async () => {
    expect(
      (
        await check(
          P,
          mutate(baselineStack(), "org-trail", ({ cloudWatchLogsGroupArn, ...i }) => i),
        )
      ).messages,
    ).toEqual([
      "no trail delivers to a CloudWatch Logs group in this stack; set cloudWatchLogsGroupArn on the trail so the CIS metric filters have events to watch",
    ]);
  });
  it("unknown alarm actions count as set; an unknown pattern is a violation", async () => {
    expect(
      (await check(P, baselineStack(), { unknowns: { [`${cisFilterName(f43)}-alarm`]: ["alarmActions"] } })).messages,
    ).toEqual([]);
    expect((await check(P, baselineStack(), { unknowns: { [cisFilterName(f43)]: ["pattern"] } })).messages).toEqual([
      `CIS 4.3 (${f43.title}): a metric filter pattern is unknown at preview, so this guardrail cannot verify it; set it from a literal or stack config`,
    ]);
  });
  it("config: requiring fewer controls changes the verdict", async () => {
    const s = without(baselineStack(), `${cisFilterName(f43)}-alarm`);
    expect((await check(P, s, { config: { controls: ["4.1", "4.2"] } })).messages).toEqual([]);
    await expect(check(P, s, { config: { controls: ["9.9"] } })).rejects.toThrow(
      "cis-metric-filters-alarms.controls[0] must be one of",
    );
  });
});

import { describe, expect, it } from "vitest";
import { FIELD_SCHEMAS } from "../../infra/config-schema";
import { intInRange } from "../../infra/config-field";
import { ConfigValidationError } from "../../infra/config";
import { parseDetectionConfig } from "../../infra/detection";

describe("intInRange: the one integer schema of both config sections", () => {
  const first = (r: ReturnType<ReturnType<typeof intInRange>["safeParse"]>) =>
    r.success ? undefined : r.error.issues[0].message;
  it.each<[number, number, unknown, string | undefined]>([
    [1, 100, 1, undefined],
    [1, 100, 100, undefined],
    [0, 100, 0, undefined],
    [1, 100, 0, "must be an integer ≥ 1 and ≤ 100"],
    [1, 100, 101, "must be an integer ≥ 1 and ≤ 100"],
    [1, 100, 1.5, "must be an integer ≥ 1 and ≤ 100"],
    [1, 100, "ten", "must be an integer ≥ 1 and ≤ 100"],
    [1, 64, 65, "must be an integer ≥ 1 and ≤ 64"],
    // no upper bound: none is named
    [1, Number.MAX_SAFE_INTEGER, 10 ** 9, undefined],
    [1, Number.MAX_SAFE_INTEGER, 0, "must be an integer ≥ 1"],
    [0, Number.MAX_SAFE_INTEGER, -1, "must be an integer ≥ 0"],
  ])("[%d, %d] on %j → %s", (min, max, value, message) => {
    expect(first(intInRange(min, max).safeParse(value))).toBe(message);
  });
});

/**
 * The two schedule expressions are for two services, so their grammars differ on purpose:
 * audit.schedule is an EventBridge rule's (cfn-lint E3027 checks the same: singular unit for 1,
 * plural above, six cron fields); the ssm.* schedules are SSM State Manager associations'.
 */
describe("schedule grammars", () => {
  const eventBridge = (s: string) => FIELD_SCHEMAS["audit.schedule"].safeParse(s).success;
  it.each<[string, boolean]>([
    ["cron(0 5 * * ? *)", true],
    ["cron(30 2 ? * MON-FRI *)", true],
    ["cron(0/15 * * * ? 2027)", true],
    ["rate(1 minute)", true],
    ["rate(1 hour)", true],
    ["rate(1 day)", true],
    ["rate(2 days)", true],
    ["rate(30 minutes)", true],
    ["rate(120 hours)", true],
    ["rate(1 days)", false],
    ["rate(5 hour)", false],
    ["rate(0 minutes)", false],
    ["rate(01 days)", false],
    ["rate(1 week)", false],
    ["rate(1.5 hours)", false],
    ["cron(0 5 * * *)", false],
    ["cron(0 5 * * ? * *)", false],
    ["at(2026-12-01T05:00:00)", false],
    ["daily at 5", false],
    ["", false],
  ])("EventBridge rule (audit.schedule) %j → %s", (s, ok) => {
    expect(eventBridge(s)).toBe(ok);
  });

  const ssm = (s: string) => {
    try {
      parseDetectionConfig({ "ssm.updateAgentSchedule": s, "ssm.cloudWatchAgentSchedule": s });
      return true;
    } catch (e) {
      if (e instanceof ConfigValidationError) return false;
      throw e;
    }
  };
  it.each<[string, boolean]>([
    ["rate(14 days)", true],
    ["rate(30 days)", true],
    ["rate(30 minutes)", true],
    ["rate(12 hours)", true],
    ["cron(0 2 ? * SUN *)", true],
    ["cron(0 0 ? * THU#2 *)", true],
    ["rate(0 days)", false],
    ["rate(1 week)", false],
    ["rate(2 days", false],
    ["cron()", false],
    ["every day", false],
    ["", false],
  ])("SSM association (ssm.*Schedule) %j → %s", (s, ok) => {
    expect(ssm(s)).toBe(ok);
  });
});

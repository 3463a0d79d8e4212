import { describe, expect, it } from "vitest";
import {
  AuditConfigError,
  checkRunOptions,
  cliOptionsSchema,
  lambdaSettings,
  retryDelayScaleFromEnv,
  type LambdaEnv,
} from "../../agent/options";

const ok = (raw: Record<string, unknown>) => {
  const r = cliOptionsSchema.safeParse({ manifest: "m.json", ...raw });
  if (!r.success) throw new Error(r.error.issues.map((i) => i.message).join("; "));
  return r.data;
};
const problems = (raw: Record<string, unknown>) => {
  const r = cliOptionsSchema.safeParse(raw);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe("cliOptionsSchema", () => {
  it("turns the raw strings into typed options with defaults", () => {
    expect(
      ok({
        regions: "us-east-1, eu-west-1",
        accounts: "111111111111",
        concurrency: "16",
        now: "2026-03-01T12:00:00Z",
        format: "json,html",
        out: "out",
      }),
    ).toEqual({
      manifest: "m.json",
      regions: ["us-east-1", "eu-west-1"],
      accounts: ["111111111111"],
      concurrency: 16,
      now: new Date("2026-03-01T12:00:00Z"),
      format: ["json", "html"],
      out: "out",
      json: false,
      securityHub: false,
    });
    expect(ok({})).toEqual({ manifest: "m.json", concurrency: 8, json: false, securityHub: false });
  });

  it.each([
    [{ manifest: "m", concurrency: "65" }, ["--concurrency must be a whole number from 1 to 64"]],
    [{ manifest: "m", concurrency: "1.5" }, ["--concurrency must be a whole number from 1 to 64"]],
    [{ manifest: "m", accounts: "12345" }, ['--accounts: "12345" is not a 12-digit account id']],
    [
      { manifest: "m", accounts: "111111111111,12345,22222222222a" },
      ['--accounts: "12345" is not a 12-digit account id', '--accounts: "22222222222a" is not a 12-digit account id'],
    ],
    [{ manifest: "m", regions: "us-east-1,mars-1" }, ['--regions: "mars-1" is not an AWS region (such as us-east-1)']],
    [{ manifest: "m", regions: "," }, ["--regions must list at least one region"]],
    [
      { manifest: "m", now: "2026-03-01T12:00:00" },
      ["--now must be an ISO-8601 time with zone, such as 2026-01-31T12:00:00Z"],
    ],
    [{ manifest: "m", now: "2026-02-31T12:00:00Z" }, ["--now is not a real calendar date"]],
    [{ manifest: "m", now: "2026-13-01T12:00:00Z" }, ["--now is not a real calendar date"]],
    [{ manifest: "m", endpointUrl: "localhost:5000" }, ["--endpoint-url must be a URL such as http://127.0.0.1:5000"]],
    [{ manifest: "m", format: "md" }, ["--format needs --out <dir> to write the reports to"]],
    [{ manifest: "m", stackOutput: "dev" }, ["--manifest and --stack-output are exclusive: give one"]],
    [{}, ["--manifest <file> (or --stack-output <stack>) is required"]],
  ])("%j → %j", (raw, expected) => {
    expect(problems(raw)).toEqual(expected);
  });
});

describe("the Lambda's environment: the same options, named by their variables", () => {
  const base = { ORGWARDEN_MANIFEST_PARAMETER: "/orgwarden/dev/audit-manifest", AWS_REGION: "eu-west-1" };
  const refused = (env: LambdaEnv) => {
    try {
      lambdaSettings(env);
    } catch (e) {
      expect(e).toBeInstanceOf(AuditConfigError);
      return (e as Error).message;
    }
    throw new Error("accepted");
  };

  it("fills the defaults, an empty variable counting as unset", () => {
    expect(lambdaSettings({ ...base, ORGWARDEN_CONCURRENCY: "", ORGWARDEN_REPORT_BUCKET: "" })).toEqual({
      parameter: "/orgwarden/dev/audit-manifest",
      region: "eu-west-1",
      concurrency: 8,
      batchSize: 5,
      prefix: "orgwarden-audit",
      securityHub: false,
      notifyWhen: "changes",
    });
    expect(
      lambdaSettings({
        ...base,
        ORGWARDEN_CONCURRENCY: "64",
        ORGWARDEN_BATCH_SIZE: "20",
        ORGWARDEN_ENDPOINT_URL: "http://127.0.0.1:5000",
        ORGWARDEN_REPORT_BUCKET: "b",
        ORGWARDEN_REPORT_PREFIX: "p",
        ORGWARDEN_SECURITY_HUB: "on",
        ORGWARDEN_ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:222222222222:orgwarden-security-alerts",
        ORGWARDEN_EVENT_BUS_ARN: "arn:aws:events:eu-west-1:222222222222:event-bus/orgwarden-security",
        ORGWARDEN_NOTIFY_WHEN: "always",
        ORGWARDEN_RETRY_DELAY_SCALE: "0.02",
      }),
    ).toEqual({
      parameter: "/orgwarden/dev/audit-manifest",
      region: "eu-west-1",
      concurrency: 64,
      batchSize: 20,
      endpointUrl: "http://127.0.0.1:5000",
      bucket: "b",
      prefix: "p",
      securityHub: true,
      alertTopicArn: "arn:aws:sns:eu-west-1:222222222222:orgwarden-security-alerts",
      eventBusArn: "arn:aws:events:eu-west-1:222222222222:event-bus/orgwarden-security",
      notifyWhen: "always",
      retryDelayScale: 0.02,
    });
  });

  it.each<[LambdaEnv, string]>([
    [{ ...base, ORGWARDEN_CONCURRENCY: "65" }, 'ORGWARDEN_CONCURRENCY must be a whole number from 1 to 64, got "65"'],
    [
      { ...base, ORGWARDEN_CONCURRENCY: "eight" },
      'ORGWARDEN_CONCURRENCY must be a whole number from 1 to 64, got "eight"',
    ],
    [
      { ...base, ORGWARDEN_ENDPOINT_URL: "localhost:5000" },
      'ORGWARDEN_ENDPOINT_URL must be a URL such as http://127.0.0.1:5000, got "localhost:5000"',
    ],
    [{ ...base, ORGWARDEN_NOTIFY_WHEN: "daily" }, 'ORGWARDEN_NOTIFY_WHEN must be changes or always, got "daily"'],
    ...["0", "1.5", "fast", "-0.1"].map((v): [LambdaEnv, string] => [
      { ...base, ORGWARDEN_ENDPOINT_URL: "http://127.0.0.1:5000", ORGWARDEN_RETRY_DELAY_SCALE: v },
      `ORGWARDEN_RETRY_DELAY_SCALE must be a number above 0 and at most 1 (it scales the SDK's retry delays against an emulator), got "${v}"`,
    ]),
    [
      { ...base, ORGWARDEN_RETRY_DELAY_SCALE: "0.02" },
      `ORGWARDEN_RETRY_DELAY_SCALE applies only with ORGWARDEN_ENDPOINT_URL (an emulator such as moto); against AWS the SDK's own retry delays apply: unset it, got "0.02"`,
    ],
    [
      { ...base, ORGWARDEN_ALERT_TOPIC_ARN: "orgwarden-security-alerts" },
      'ORGWARDEN_ALERT_TOPIC_ARN must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got "orgwarden-security-alerts"',
    ],
    [
      { ...base, ORGWARDEN_EVENT_BUS_ARN: "arn:aws:sns:eu-west-1:222222222222:x" },
      'ORGWARDEN_EVENT_BUS_ARN must be an EventBridge bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>), got "arn:aws:sns:eu-west-1:222222222222:x"',
    ],
    [
      { AWS_REGION: "eu-west-1" },
      "ORGWARDEN_MANIFEST_PARAMETER must name the SSM parameter that holds the audit manifest",
    ],
    [
      {},
      "ORGWARDEN_MANIFEST_PARAMETER must name the SSM parameter that holds the audit manifest; AWS_REGION must be set (the Lambda runtime sets it)",
    ],
  ])("%j → %s", (env, message) => {
    expect(refused(env)).toBe(message);
  });
});

describe("runAudit's own check: the same schema, named by the option keys", () => {
  it.each<[Parameters<typeof checkRunOptions>[0], string]>([
    [{ concurrency: 0 }, "concurrency must be a whole number from 1 to 64, got 0"],
    [{ concurrency: 65 }, "concurrency must be a whole number from 1 to 64, got 65"],
    [{ concurrency: 2.5 }, "concurrency must be a whole number from 1 to 64, got 2.5"],
    [{ regions: [] }, "regions must list at least one region, got []"],
    [{ accounts: ["12345"] }, 'accounts: "12345" is not a 12-digit account id'],
  ])("%j → %s", (options, message) => {
    expect(() => checkRunOptions(options)).toThrow(new AuditConfigError(message));
  });

  it("accepts what the CLI and the Lambda hand it, and nothing set", () => {
    expect(() => checkRunOptions({})).not.toThrow();
    expect(() =>
      checkRunOptions({ regions: ["us-east-1"], accounts: ["111111111111"], concurrency: 64 }),
    ).not.toThrow();
  });
});

describe("retryDelayScaleFromEnv (the CLI's ORGWARDEN_RETRY_DELAY_SCALE)", () => {
  it("unset or empty is the SDK's own delays; a number in (0, 1] with an endpoint is taken", () => {
    expect(retryDelayScaleFromEnv(undefined, undefined, "--endpoint-url")).toBeUndefined();
    expect(retryDelayScaleFromEnv("", undefined, "--endpoint-url")).toBeUndefined();
    expect(retryDelayScaleFromEnv("0.02", "http://127.0.0.1:5000", "--endpoint-url")).toBe(0.02);
    expect(retryDelayScaleFromEnv("1", "http://127.0.0.1:5000", "--endpoint-url")).toBe(1);
  });

  it.each([
    [
      "0",
      "http://127.0.0.1:5000",
      'ORGWARDEN_RETRY_DELAY_SCALE must be a number above 0 and at most 1 (it scales the SDK\'s retry delays against an emulator), got "0"',
    ],
    [
      "2",
      "http://127.0.0.1:5000",
      'ORGWARDEN_RETRY_DELAY_SCALE must be a number above 0 and at most 1 (it scales the SDK\'s retry delays against an emulator), got "2"',
    ],
    [
      "1e-2",
      "http://127.0.0.1:5000",
      'ORGWARDEN_RETRY_DELAY_SCALE must be a number above 0 and at most 1 (it scales the SDK\'s retry delays against an emulator), got "1e-2"',
    ],
    [
      "0.02",
      undefined,
      "ORGWARDEN_RETRY_DELAY_SCALE applies only with --endpoint-url (an emulator such as moto); against AWS the SDK's own retry delays apply: unset it",
    ],
  ])("%s with endpoint %s: AuditConfigError", (value, endpoint, message) => {
    expect(() => retryDelayScaleFromEnv(value, endpoint, "--endpoint-url")).toThrow(new AuditConfigError(message));
  });
});

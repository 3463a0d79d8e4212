import { describe, expect, it } from "vitest";
import { cliOptionsSchema } from "../../agent/options";

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
    expect(ok({ regions: "us-east-1, eu-west-1", accounts: "111111111111", concurrency: "16", now: "2026-03-01T12:00:00Z", format: "json,html", out: "out" })).toEqual({
      manifest: "m.json",
      regions: ["us-east-1", "eu-west-1"],
      accounts: ["111111111111"],
      concurrency: 16,
      now: new Date("2026-03-01T12:00:00Z"),
      format: ["json", "html"],
      out: "out",
      json: false,
    });
    expect(ok({})).toEqual({ manifest: "m.json", concurrency: 8, json: false });
  });

  it.each([
    [{ manifest: "m", concurrency: "65" }, ["--concurrency must be a whole number from 1 to 64"]],
    [{ manifest: "m", concurrency: "1.5" }, ["--concurrency must be a whole number from 1 to 64"]],
    [{ manifest: "m", accounts: "12345" }, ['--accounts: "12345" is not a 12-digit account id']],
    [{ manifest: "m", accounts: "111111111111,12345,22222222222a" }, ['--accounts: "12345" is not a 12-digit account id', '--accounts: "22222222222a" is not a 12-digit account id']],
    [{ manifest: "m", regions: "us-east-1,mars-1" }, ['--regions: "mars-1" is not an AWS region (such as us-east-1)']],
    [{ manifest: "m", regions: "," }, ["--regions must list at least one region"]],
    [{ manifest: "m", now: "2026-03-01T12:00:00" }, ["--now must be an ISO-8601 time with zone, such as 2026-01-31T12:00:00Z"]],
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

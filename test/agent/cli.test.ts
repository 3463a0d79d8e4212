import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAMClient } from "@aws-sdk/client-iam";
import { encodeManifestParameter } from "../../baseline";
import { seedSandboxOrganization, writeManifest, type Sandbox } from "../../agent/sandbox/seed";
import { applyDrift } from "../../agent/sandbox/drifts";
import { validManifestInput } from "../baseline/manifest-fixture";
import { createUserWithPolicy, withIamEnforcement } from "./aws/_moto-auth";
import type { AuditResult } from "../../agent/finding";
import { FAST_RETRIES_ENV, useMoto } from "../helpers/moto";
import { cliEnv, spawnCli, type CliRun } from "./_cli";

const ROOT = resolve(__dirname, "..", "..");
const TSX_CLI = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const dir = mkdtempSync(join(tmpdir(), "orgwarden-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = CliRun;

/** The real CLI in its own process, with moto-style static credentials and no shared AWS config. */
function cli(args: string[], stdin?: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  return spawnCli(args, cliEnv(dir, extraEnv), stdin);
}

/** The SDK's "upgrade node" warning on this node 20 would otherwise be part of the stderr a test compares exactly. */
const QUIET_NODE = { NODE_NO_WARNINGS: "1" };

// Each test of this block is its own CLI process with its own files: they run side by side (vitest's maxConcurrency).
describe.concurrent("CLI usage and config errors: exit 2, the offending option or path named, no stack trace", () => {
  it.each([
    [["--manifest", "m.json", "--concurrency", "0"], "--concurrency must be a whole number from 1 to 64"],
    [["--manifest", "m.json", "--batch-size", "501"], "--batch-size must be a whole number from 1 to 500"],
    [["--manifest", "m.json", "--bogus"], "unknown option '--bogus'"],
    [["--manifest", "m.json", "--now", "yesterday"], "--now must be an ISO-8601 time with zone"],
    [
      ["--manifest", "m.json", "--regions", "us-east-1,mars-1"],
      '--regions: "mars-1" is not an AWS region (such as us-east-1)',
    ],
    [["--manifest", "m.json", "--accounts", "111111111111,12345"], '--accounts: "12345" is not a 12-digit account id'],
    [
      ["--manifest", "m.json", "--format", "pdf", "--out", "x"],
      "--format entries must be json, md, html, asff or ocsf",
    ],
    [[], "--manifest <file> (or --stack-output <stack>) is required"],
  ])("%j", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });

  it("no starting credentials at all (empty environment, no shared files, no instance metadata): one error naming what was tried", async () => {
    const file = join(dir, "manifest-nocreds.json");
    writeFileSync(file, JSON.stringify(validManifestInput()));
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, "none"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
      AWS_EC2_METADATA_DISABLED: "true",
      ...QUIET_NODE,
    };
    const r = await spawnCli(["--manifest", file, "--endpoint-url", "http://127.0.0.1:9"], env);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "orgwarden-audit: starting AWS credentials missing: tried the default credential chain (environment, shared config, container/instance role); the instance role was not tried: AWS_EC2_METADATA_DISABLED=true (CredentialsProviderError: Could not load credentials from any providers)\n",
    });
  });

  it("ORGWARDEN_RETRY_DELAY_SCALE (the tests' shorter SDK retry delays) without --endpoint-url: AWS's own delays are not scaled", async () => {
    const file = join(dir, "manifest-retry-scale.json");
    writeFileSync(file, JSON.stringify(validManifestInput()));
    const r = await cli(["--manifest", file], undefined, { ...FAST_RETRIES_ENV });
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "orgwarden-audit: ORGWARDEN_RETRY_DELAY_SCALE applies only with --endpoint-url (an emulator such as moto); against AWS the SDK's own retry delays apply: unset it\n",
    });
  });

  it("--stack-output without a pulumi CLI on PATH says so and points to --manifest", async () => {
    const r = await cli(["--stack-output", "dev"], undefined, { PATH: "/nonexistent" });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "orgwarden-audit: --stack-output dev: cannot run the pulumi CLI (ENOENT); pass --manifest <file> instead\n",
    );
  });

  it("a manifest that does not exist is named", async () => {
    const r = await cli(["--manifest", join(dir, "missing.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`orgwarden-audit: --manifest ${join(dir, "missing.json")}: cannot be read (ENOENT)\n`);
  });

  it("an invalid manifest names each bad path", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, stack: "dev", thresholds: { deliveryMaxAgeMinutes: 0 } }));
    const r = await cli(["--manifest", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: audit manifest is invalid:`);
    expect(r.stderr).toContain("  - organization: ");
    expect(r.stderr).toContain("  - thresholds.deliveryMaxAgeMinutes: ");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("an envelope file is decoded before validation: a misspelt key inside it is named with its path", async () => {
    const file = join(dir, "typo.envelope.json");
    writeFileSync(
      file,
      encodeManifestParameter({ ...validManifestInput(), thresholds: { deliveryMaxAgeMinute: 30 } } as {
        schemaVersion: number;
      }),
    );
    const r = await cli(["--manifest", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `orgwarden-audit: ${file}: audit manifest is invalid:\n  - thresholds.deliveryMaxAgeMinute: unknown key (a misspelling?); allowed here: deliveryMaxAgeMinutes, digestMaxAgeMinutes\n`,
    );
  });

  it("a file that is not JSON, or an envelope of another format, is named", async () => {
    const text = join(dir, "text.json");
    writeFileSync(text, "audit please");
    const r = await cli(["--manifest", text]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^orgwarden-audit: --manifest ${text}: the manifest is not JSON: `));
    const gzip = join(dir, "gzip.json");
    writeFileSync(gzip, JSON.stringify({ format: "gzip", data: "" }));
    const g = await cli(["--manifest", gzip]);
    expect(g.code).toBe(2);
    expect(g.stderr).toBe(
      `orgwarden-audit: --manifest ${gzip}: the manifest has format "gzip"; expected orgwarden-audit-manifest/zlib+base64 with a base64 "data" field\n`,
    );
  });
});

describe("--out that cannot be written: exit 2 before anything is collected, the code named once", () => {
  it.each([
    [
      "a path under a regular file (EEXIST)",
      (file: string) => join(file, "reports"),
      (file: string) => `EEXIST: file already exists, mkdir '${file}'`,
    ],
    [
      "a regular file (ENOTDIR)",
      (file: string) => file,
      (file: string) => `ENOTDIR: not a directory, scandir '${file}'`,
    ],
  ])("%s", async (_case, outOf, reason) => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const manifest = join(dir, "manifest-valid.json");
    writeFileSync(manifest, JSON.stringify(validManifestInput()));
    // An endpoint that counts connections: none may be made.
    let connections = 0;
    const server = createServer((s) => {
      connections += 1;
      s.destroy();
    });
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const r = await cli(["--manifest", manifest, "--endpoint-url", endpoint, "--out", outOf(file)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`orgwarden-audit: --out ${outOf(file)}: cannot be written (${reason(file)})\n`);
      expect(r.stdout).toBe("");
      expect(connections).toBe(0);
      expect(readdirSync(dir).filter((n) => n.includes("orgwarden-staging"))).toEqual([]);
    } finally {
      await new Promise((res) => server.close(res));
    }
  });
});

describe("--out holding a file orgwarden did not write", () => {
  it("is exit 2 naming it and what is allowed; the directory is left as it was", async () => {
    const out = join(dir, "foreign");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "notes.txt"), "keep me");
    const manifest = join(dir, "manifest-foreign.json");
    writeFileSync(manifest, JSON.stringify(validManifestInput()));
    const r = await cli(["--manifest", manifest, "--endpoint-url", "http://127.0.0.1:9", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `orgwarden-audit: --out ${out}: holds notes.txt, which orgwarden did not write, so nothing was written; allowed: a missing or empty directory, or one holding only orgwarden's report.json, report.md, report.html, report.asff.json, report.ocsf.json, its intended/ directory and .orgwarden-report\n`,
    );
    expect(readdirSync(out)).toEqual(["notes.txt"]);
  });
});

describe("CLI against moto", () => {
  // One sandbox for the file: the tests read it clean; the two that change it (an IAM user, a drift) come last.
  const moto = useMoto({ reset: "file" });
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await seedSandboxOrganization({ endpoint: moto.endpoint });
  });
  /** The shared sandbox's manifest in a file of this test's own. */
  const manifestFile = (name: string) => {
    const file = join(dir, name);
    writeManifest(file, sb.manifest);
    return file;
  };
  /** The CLI against moto, its SDK retry delays scaled down (moto answers SSM ListAssociations with 500). */
  const motoCli = (args: string[], stdin?: string, extraEnv: Record<string, string> = {}) =>
    cli(args, stdin, { ...FAST_RETRIES_ENV, ...extraEnv });

  it("--json prints the AuditResult; --out writes the reports; SSM associations (not in moto) make the audit incomplete: exit 3", async () => {
    const file = manifestFile("manifest.json");
    const out = join(dir, "out");
    const now = new Date(Date.now() + 60_000).toISOString();
    const r = await motoCli([
      "--manifest",
      file,
      "--endpoint-url",
      moto.endpoint,
      "--now",
      now,
      "--json",
      "--out",
      out,
      "--format",
      "json,md",
    ]);
    expect(r.code).toBe(3);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(result.exitCode).toBe(3);
    expect(result.now).toBe(now);
    expect(result.organizationId).toBe(sb.orgId);
    const errors = result.findings.filter((f) => f.status === "ERROR");
    expect([...new Set(errors.map((f) => `${f.checkId}:${f.error?.operation}:${f.error?.name}`))]).toEqual([
      "ssm-agent-associations:ListAssociations:UnparseableResponse",
      "config-delivery-channel:DescribeDeliveryChannelStatus:UnparseableResponse",
      "config-aggregator:DescribeConfigurationAggregatorSourcesStatus:UnparseableResponse",
      // moto implements no DescribeOrganizationConfiguration: the security account's finding in each of the 2 regions.
      "guardduty-organization:DescribeOrganizationConfiguration:UnparseableResponse",
      // moto implements no Security Hub administrators, configuration policies, enabled standards or aggregators.
      "securityhub-admin-account:ListOrganizationAdminAccounts:UnparseableResponse",
      "securityhub-configuration-policy:ListConfigurationPolicies:UnparseableResponse",
      "securityhub-standards:GetEnabledStandards:UnparseableResponse",
      "securityhub-finding-aggregator:ListFindingAggregators:UnparseableResponse",
    ]);
    // + GuardDuty's organization configuration in 2 regions; + Security Hub: the administrator and the standards in
    // 2 regions, the policy and the aggregator once.
    expect(errors).toHaveLength(5 * 2 * 2 + 1 + 2 + 6);
    // moto never fills GetTrailStatus's CloudWatch Logs and digest times, nor any StackSet drift status (the StackSet, 5 accounts and
    // the management account's stacks × 2 regions): without recorded answers those honestly FAIL.
    expect(result.findings.filter((f) => f.status === "FAIL").map((f) => f.checkId)).toEqual([
      "trail-cloudwatch-delivery",
      "trail-digest-delivery",
      ...Array(11).fill("stackset-drift"),
      ...["dns-query-log-config", "dns-query-log-config"], // moto: every query logging configuration NOT_SHARED
      ...["dns-query-log-share", "dns-query-log-share"], // moto's RAM cannot hold a query logging configuration
      // moto cannot associate another account's VPC with the log-archive account's configuration: 4 accounts × 2 regions.
      ...Array(8).fill("dns-query-log-associations"),
      // moto refuses to register config, securityhub and inspector2 as delegated-administrator services.
      ...Array(3).fill("delegated-administrators"),
    ]);
    expect(r.stderr).toContain(`report: ${join(out, "report.json")}`);
    expect(existsSync(join(out, "report.md"))).toBe(true);
    expect(existsSync(join(out, "report.html"))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).exitCode).toBe(3);
  });

  it("manifest from stdin as the SSM parameter holds it (zlib+base64 envelope), narrowed scope, plain summary on stdout; an unknown --accounts id is exit 2", async () => {
    const member = sb.accounts.members[0];
    const r = await motoCli(
      ["--manifest", "-", "--endpoint-url", moto.endpoint, "--accounts", member, "--regions", "us-east-1"],
      encodeManifestParameter(sb.manifest),
    );
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`scope: audited 1 of ${3 + sb.accounts.members.length} accounts × 1 region (us-east-1)`);
    expect(r.stdout).toMatch(
      // The account by its Organizations name, then its id (a member: no role).
      new RegExp(
        `ERROR .*ssm-agent-associations +\\S.* \\(${member}\\)/us-east-1 .*\\[ListAssociations: UnparseableResponse\\]`,
      ),
    );
    expect(r.stdout).toContain("result: audit incomplete: some state could not be read (ERROR findings) (exit 3)");
    const bad = await motoCli(
      ["--manifest", "-", "--endpoint-url", moto.endpoint, "--accounts", "000000000000"],
      JSON.stringify(sb.manifest),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--accounts 000000000000: not an account of organization ${sb.orgId}`);
  });

  it("shows a progress line only when stderr is a terminal (run under script(1) for a real pty)", async () => {
    const file = manifestFile("manifest-tty.json");
    const command = [
      process.execPath,
      TSX_CLI,
      join(ROOT, "agent", "cli.ts"),
      "--manifest",
      file,
      "--endpoint-url",
      moto.endpoint,
      "--regions",
      "us-east-1",
    ]
      .map((a) => `'${a}'`)
      .join(" ");
    const tty = await new Promise<Run>((res, rej) => {
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_CONFIG_FILE: join(dir, "none"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
        ...FAST_RETRIES_ENV,
      };
      const child = spawn("script", ["-qefc", command, "/dev/null"], { cwd: ROOT, env });
      let stdout = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.on("error", rej);
      child.on("close", (code) => res({ code, stdout, stderr: "" }));
      child.stdin.end();
    });
    expect(tty.code).toBe(3);
    // The plan: organization first (1 task), then trail, log group, CIS filters and alarms, archive bucket, key, the
    // manifest parameter, the flow-log bucket, the Config aggregator, the Athena catalogue and workgroup, the 7 log buckets, the
    // 8 other baseline keys, the 7 shared roles (trail Logs role, log auditor, StackSet drift role, the agent role, its state machine's and schedule's roles, the Athena analyst role), the 2 alert topics, the central bus, the StackSet, its drift schedule and the management
    // account's direct stack in the 1 region, the audit agent's rule, alarms and log groups (3 tasks), the query logging configurations of the sandbox's 3 governed regions
    // (read in each governed region, whatever --regions), GuardDuty's administrator (management account) and organization
    // configuration (security account) in the 1 region, Inspector's delegation (management account) and administration
    // (security account) in the 1 region, and Security Hub's organization setup (the management account's
    // administrator and the security account's reads in each governed region, whatever --regions: 2 × 2); the one batch:
    // the archive listing of its accounts and 5 accounts × 1 region: 58 tasks in all.
    expect(tty.stdout).toContain("\rcollecting… 1/1 tasks");
    expect(tty.stdout).toContain("\rcollecting… 52/52 tasks");
    expect(tty.stdout).toContain("\rcollecting… 58/58 tasks\r\u001b[K");
    expect(tty.stdout).toContain("result: audit incomplete");
    const piped = await motoCli(["--manifest", file, "--endpoint-url", moto.endpoint, "--regions", "us-east-1"]);
    expect(piped.stderr).not.toContain("collecting");
  });

  it("--profile takes the starting credentials from that profile (proved under moto's IAM enforcement; adds an IAM user to the shared sandbox)", async () => {
    const file = manifestFile("manifest-profile.json");
    const keys = await createUserWithPolicy(
      await sb.session.client(IAMClient, sb.accounts.management, sb.region),
      "cli-auditor",
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
      },
    );
    const credentialsFile = join(dir, "credentials");
    writeFileSync(
      credentialsFile,
      `[audit]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
    );
    const args = ["--manifest", file, "--endpoint-url", moto.endpoint, "--json", "--regions", "us-east-1"];
    const { withProfile, without } = await withIamEnforcement(moto.endpoint, async () => ({
      withProfile: await motoCli([...args, "--profile", "audit"], undefined, {
        AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      }),
      without: await motoCli(args, undefined, QUIET_NODE),
    }));
    const a = JSON.parse(withProfile.stdout) as AuditResult;
    // With the profile's user every read succeeds but what moto lacks (SSM associations, Config statuses, CloudWatch/digest times).
    expect([...new Set(a.findings.filter((f) => f.status === "ERROR").map((f) => f.error?.name))]).toEqual([
      "UnparseableResponse",
    ]);
    // moto reports no StackSet drift: the StackSet, and this run's region for the 5 accounts (the management account by its stack).
    expect(a.findings.filter((f) => f.status === "FAIL").map((f) => f.checkId)).toEqual([
      "trail-cloudwatch-delivery",
      "trail-digest-delivery",
      ...Array(6).fill("stackset-drift"),
      "dns-query-log-config", // moto: NOT_SHARED
      "dns-query-log-share", // moto's RAM cannot hold a query logging configuration
      ...Array(4).fill("dns-query-log-associations"), // moto: no cross-account association (4 accounts, this run's region)
      ...Array(3).fill("delegated-administrators"), // moto refuses config, securityhub and inspector2 delegations
    ]);
    // The environment's "testing" key is no IAM user: STS rejects it, which is one configuration error, not an ERROR per check.
    expect(without).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "orgwarden-audit: starting AWS credentials rejected: the default credential chain (environment, shared config, container/instance role), by STS GetCallerIdentity (InvalidClientTokenId: The security token included in the request is invalid.)\n",
    });
  });

  it("--batch-size 2 runs the nightly run's batched path in-process: the findings of the one-batch run (drifts the shared sandbox: last)", async () => {
    const file = manifestFile("manifest-batched.json");
    await applyDrift(sb, { kind: "guardduty-disabled", account: "member-0", region: "eu-west-1" });
    const now = new Date(Date.now() + 60_000).toISOString();
    const run = async (extra: string[]) => {
      const r = await motoCli(["--manifest", file, "--endpoint-url", moto.endpoint, "--now", now, "--json", ...extra]);
      expect(r.code).toBe(3);
      const result = JSON.parse(r.stdout) as AuditResult;
      // moto answers LatestDeliveryTime "now" at each call: only trail-s3-delivery's age differs between two runs.
      return result.findings
        .map((f) => [f.id, f.status, f.severity, f.message.replace(/last S3 delivery \d+s ago/, "<age>")].join(" "))
        .sort();
    };
    const one = await run([]);
    expect(one.some((f) => / FAIL /.test(f) && f.startsWith("guardduty-enabled|"))).toBe(true);
    expect(await run(["--batch-size", "2"])).toEqual(one);
  });
});

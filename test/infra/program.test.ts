import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_KEYS } from "../../infra/config-keys";
import { DETECTION_CONFIG_KEYS } from "../../infra/detection/config";
import { CONFIG_ARTEFACTS, keyTableMarkdown, renderPulumiYaml } from "../../scripts/lib/config-artefacts";
import { previewFailing, ROOT, runStack } from "./stack";
import { runProcess } from "../helpers/run";

describe("the program", () => {
  it("exports exactly the documented foundation and detection outputs", async () => {
    const run = await runStack("dev");
    expect(Object.keys(run.outputs).sort()).toEqual([
      "accessLogBucketName",
      "archiveBucketName",
      "athenaWorkgroupName",
      "auditAgentFunctionName",
      "auditDashboardName",
      "auditManifest",
      "auditReportBucketName",
      "auditStateMachineArn",
      "centralBusArn",
      "cisAlarmTopicArn",
      "configBucketName",
      "dnsQueryLogBucketName",
      "dnsQueryLogKeyArn",
      "flowLogBucketName",
      "flowLogKeyArn",
      "logAnalystRoleArn",
      "logArchiveAccountId",
      "logGroupKeyArn",
      "logKeyArn",
      "managementAccountId",
      "organizationId",
      "rootId",
      "scpId",
      "securityAccountId",
      "securityTopicArn",
      "stackSetName",
      "trailArn",
    ]);
    expect(run.outputs.stackSetName).toBe("orgwarden-member-baseline");
    expect(run.outputs.configBucketName).toBe("orgwarden-dev-config-111122223333");
    expect(run.outputs.centralBusArn).toBe(
      `arn:aws:events:eu-west-1:${run.outputs.securityAccountId}:event-bus/orgwarden-security`,
    );
    expect(run.outputs.securityTopicArn).toBe(
      `arn:aws:sns:eu-west-1:${run.outputs.securityAccountId}:orgwarden-security-alerts`,
    );
    expect(run.outputs.cisAlarmTopicArn).toBe("arn:aws:sns:eu-west-1:111122223333:orgwarden-cis-alarms");
    expect(run.outputs.auditAgentFunctionName).toBe("orgwarden-dev-audit-agent");
    expect(run.outputs.auditReportBucketName).toBe("orgwarden-dev-audit-reports-111122223333");
    expect(run.outputs.auditStateMachineArn).toBe(
      `arn:aws:states:eu-west-1:${run.outputs.securityAccountId}:stateMachine:orgwarden-dev-audit-agent`,
    );
    expect(run.outputs.flowLogBucketName).toBe("orgwarden-dev-flow-logs-111122223333");
    expect(run.outputs.dnsQueryLogBucketName).toBe("orgwarden-dev-dns-logs-111122223333");
    expect(run.unmockedCalls).toEqual([]);
  });

  it("fails the preview with every config problem listed (misspelt keys and namespaces too), exit 2 and no stack trace", async () => {
    const r = await previewFailing("badconfig", {
      managementAccountId: "1234",
      "logArchive.lockMode": "STRICT",
      tags: ["novalue"],
      "logArchive.retentionDay": 7,
      "orgwardn:homeRegion": "eu-west-1",
    });
    expect(r.stderr).toBe(
      [
        "invalid stack configuration (5 problems):",
        '  - orgwardn:homeRegion: unknown config namespace "orgwardn"; did you mean orgwarden:homeRegion? Allowed namespaces: orgwarden, aws, pulumi',
        "  - orgwarden:logArchive.retentionDay is not a known key; did you mean orgwarden:logArchive.retentionDays? (see Pulumi.yaml for the declared keys)",
        "  - orgwarden:managementAccountId must be a 12-digit AWS account id",
        '  - orgwarden:logArchive.lockMode must be "COMPLIANCE" or "GOVERNANCE"',
        "  - orgwarden:tags[0] must be Key=Value (key 1-128 characters, value up to 256, one '=')",
        "",
      ].join("\n"),
    );
    expect(r.status).toBe(2);
  });

  it("loads the way `pulumi up` loads it: the vendored ts-node with the project's TypeScript, type-checked, exporting a function", async () => {
    const r = await runProcess(process.execPath, [join(__dirname, "fixtures/load-like-pulumi.js"), ROOT], {});
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ tsnode: "vendored", exportType: "function" });
  });
});

describe("Pulumi.yaml", () => {
  const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"));

  it("names the project, the TypeScript nodejs runtime and infra/ as main", () => {
    expect(project.name).toBe("orgwarden");
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true } });
    expect(project.main).toBe("infra/");
  });

  it("declares every config key (foundation and detection) with the type, description and default the program uses, and no other", () => {
    const expected = Object.fromEntries(
      [...CONFIG_KEYS, ...DETECTION_CONFIG_KEYS].map((k) => [
        k.key,
        k.type === "array"
          ? { type: "array", items: { type: "string" }, description: k.description, default: k.default }
          : { type: k.type, description: k.description, default: k.default },
      ]),
    );
    expect(project.config).toEqual(expected);
  });

  it("is, byte for byte, the config: block generated from the schema (npx tsx scripts/config-artefacts.ts)", () => {
    const text = readFileSync(join(ROOT, "Pulumi.yaml"), "utf8");
    expect(text).toBe(renderPulumiYaml(text));
  });
});

describe("docs/infra.md", () => {
  it("documents every config key with its type and default", () => {
    const text = readFileSync(join(ROOT, "docs/infra.md"), "utf8");
    for (const k of CONFIG_KEYS) {
      const row = text.split("\n").find((l) => l.startsWith(`| \`orgwarden:${k.key}\` |`));
      expect(row, k.key).toBeDefined();
      expect(row!.split(" | ")[1], k.key).toBe(k.type);
    }
  });

  it("holds the key table generated from the schema, byte for byte (npx tsx scripts/config-artefacts.ts)", () => {
    const text = readFileSync(join(ROOT, "docs/infra.md"), "utf8");
    expect(text).toContain(`${keyTableMarkdown(CONFIG_KEYS)}\n`);
    expect(CONFIG_ARTEFACTS["docs/infra.md"](text)).toBe(text);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../agent/checks/registry";
import { applyWaivers, manifestWaivers } from "../../agent/waivers";
import { parseWaivers } from "../../agent/waivers-file";
import { parseAuditManifest } from "../../baseline";
import { validManifestInput } from "../baseline/manifest-fixture";
import { CONFIG_ERROR, FOREIGN_POLICY_FAIL, SMALL_RESULT } from "./report/fixtures";

const FILE = "waivers.yaml";
const entry = (over: Partial<Record<"checkId" | "account" | "region" | "resource" | "expires", string>> = {}) => ({
  checkId: "archive-bucket-policy",
  account: "222222222222",
  resource: "arn:aws:s3:::orgwarden-dev-*",
  reason: "vendor read access until the migration",
  approvedBy: "security-lead@example.com",
  expires: "2026-12-31",
  ...over,
});
const yaml = (entries: object[]) => JSON.stringify({ waivers: entries });

describe("parseWaivers", () => {
  it("an empty file, or one with comments only, waives nothing", () => {
    expect(parseWaivers("", FILE)).toEqual([]);
    expect(parseWaivers("# waivers:\n#   - checkId: kms-grants\n", FILE)).toEqual([]);
    expect(parseWaivers("waivers: []\n", FILE)).toEqual([]);
  });

  it("reads YAML entries", () => {
    const text = [
      "waivers:",
      "  - checkId: kms-grants",
      "    region: us-east-1",
      "    reason: break-glass grant",
      "    approvedBy: alice",
      "    expires: 2027-01-31",
    ].join("\n");
    expect(parseWaivers(text, FILE)).toEqual([
      {
        checkId: "kms-grants",
        region: "us-east-1",
        reason: "break-glass grant",
        approvedBy: "alice",
        expires: "2027-01-31",
      },
    ]);
  });

  it("lists every problem, naming the file, the entry and the key", () => {
    const text = yaml([
      { checkId: "no-such-check", reason: "r", approvedBy: "a", expires: "2027-01-01" },
      { checkId: "kms-grants", account: "12", approvedBy: "a", expires: "next year", colour: "red" },
    ]);
    let message = "";
    try {
      parseWaivers(text, FILE);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "--waivers waivers.yaml: invalid:",
      `  - waivers[0].checkId: must be a registered check id: ${CHECKS.map((c) => c.metadata.id).join(", ")}`,
      '  - waivers[1].account: must be a 12-digit account id, or "-" (organization-wide)',
      "  - waivers[1].reason: is required: why the finding is accepted",
      "  - waivers[1].expires: is required and must be an ISO date, e.g. 2027-01-31 (the last day the waiver holds)",
      "  - waivers[1]: unknown key colour",
    ]);
  });

  it("text that is not YAML names the file", () => {
    expect(() => parseWaivers("waivers: [", FILE)).toThrow(/^--waivers waivers\.yaml: is not YAML \(/);
  });
});

describe("applyWaivers", () => {
  it("a waived FAIL keeps its status, gains waived, and no longer counts toward the exit code", () => {
    const r = applyWaivers({ ...SMALL_RESULT, findings: [FOREIGN_POLICY_FAIL], exitCode: 1 }, [entry()], FILE);
    expect(r.findings).toEqual([
      {
        ...FOREIGN_POLICY_FAIL,
        waived: {
          reason: "vendor read access until the migration",
          expires: "2026-12-31",
          approvedBy: "security-lead@example.com",
        },
      },
    ]);
    expect(r.exitCode).toBe(0);
  });

  it("an expired waiver waives nothing and is a FAIL naming it; the clock is the run's now", () => {
    const w = entry({ expires: "2026-11-21" });
    const r = applyWaivers({ ...SMALL_RESULT, findings: [FOREIGN_POLICY_FAIL], exitCode: 1 }, [w], FILE);
    expect(r.findings[0].waived).toBeUndefined();
    const expiredFinding = r.findings[1];
    expect([expiredFinding.id, expiredFinding.status, expiredFinding.severity, expiredFinding.message]).toEqual([
      "waiver-expired|-|global|#archive-bucket-policy 222222222222 * arn:aws:s3:::orgwarden-dev-*",
      "FAIL",
      "MEDIUM",
      "The waiver waivers.yaml entry [0] (archive-bucket-policy 222222222222 * arn:aws:s3:::orgwarden-dev-*, approved by security-lead@example.com) expired on 2026-11-21 and waives nothing any more.",
    ]);
    expect(r.exitCode).toBe(1);
    // Through the whole of its expires day it still holds.
    const sameDay = applyWaivers(
      { ...SMALL_RESULT, findings: [FOREIGN_POLICY_FAIL], exitCode: 1 },
      [entry({ expires: "2026-11-22" })],
      FILE,
    );
    expect([sameDay.findings.length, sameDay.exitCode]).toEqual([1, 0]);
  });

  it("a waiver that matches no FAIL or ERROR is an INFORMATIONAL FAIL, so it is removed rather than left", () => {
    const w = entry({ checkId: "kms-grants", account: "-", resource: "*" });
    const r = applyWaivers({ ...SMALL_RESULT, findings: [CONFIG_ERROR], exitCode: 3 }, [w], FILE);
    expect(r.findings.map((f) => [f.checkId, f.status, f.severity, f.message])).toEqual([
      ["config-recorder", "ERROR", "HIGH", CONFIG_ERROR.message],
      [
        "waiver-unused",
        "FAIL",
        "INFORMATIONAL",
        "The waiver waivers.yaml entry [0] (kms-grants - * *, approved by security-lead@example.com) matches no FAIL or ERROR finding; remove it.",
      ],
    ]);
    expect(r.exitCode).toBe(3);
  });

  it("account, region and the resource pattern must all match", () => {
    const base = { ...SMALL_RESULT, findings: [FOREIGN_POLICY_FAIL], exitCode: 1 as const };
    for (const over of [{ account: "333333333333" }, { region: "eu-west-1" }, { resource: "arn:aws:s3:::other-*" }]) {
      const r = applyWaivers(base, [entry(over)], FILE);
      expect([r.findings[0].waived, r.findings[1].checkId, r.exitCode]).toEqual([undefined, "waiver-unused", 1]);
    }
  });
});

describe("the repository's waivers.yaml", () => {
  it("parses, and its commented-out example entry is valid once uncommented", () => {
    const text = readFileSync(join(__dirname, "..", "..", "waivers.yaml"), "utf8");
    expect(parseWaivers(text, "waivers.yaml")).toEqual([]);
    const [, entries] = text.split("waivers: []\n");
    const example = `waivers:\n${entries.replace(/^#/gm, "")}`;
    expect(parseWaivers(example, "waivers.yaml")).toEqual([
      {
        checkId: "kms-grants",
        account: "444444444444",
        region: "us-east-1",
        resource: "arn:aws:kms:us-east-1:444444444444:key/*",
        reason: "break-glass decrypt grant for the incident-response vendor, ticket SEC-1234",
        approvedBy: "security-lead@example.com",
        expires: "2027-01-31",
      },
    ]);
  });
});

describe("manifestWaivers (the nightly run's waivers, published with the manifest)", () => {
  it("none published is none; an unregistered check id is named with the parameter", () => {
    expect(manifestWaivers(undefined, "SSM parameter /p waivers")).toEqual([]);
    expect(manifestWaivers([entry()], "SSM parameter /p waivers")).toEqual([entry()]);
    expect(() => manifestWaivers([entry({ checkId: "nope" })], "SSM parameter /p waivers")).toThrow(
      /^SSM parameter \/p waivers: invalid:\n {2}- waivers\[0\]\.checkId: must be a registered check id: /,
    );
  });

  it("the manifest schema accepts the same entries, and refuses one without expires naming its path", () => {
    const m = validManifestInput();
    expect(parseAuditManifest({ ...m, waivers: [entry()] }).waivers).toEqual([entry()]);
    const { expires: _expires, ...noExpiry } = entry();
    expect(() => parseAuditManifest({ ...m, waivers: [noExpiry] })).toThrow(
      "waivers[0].expires: is required and must be an ISO date, e.g. 2027-01-31 (the last day the waiver holds)",
    );
  });
});

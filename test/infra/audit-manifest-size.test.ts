/**
 * An audit manifest too large for its parameters fails the program promptly with ManifestTooLargeError
 * (it used to hang the mock runtime: the failed value's resource never resolved its URN, and the schedule
 * target waiting on it never registered). In its own process: the program's rejection is process-wide.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { manifestCapacity } from "../../baseline";
import { previewFailing, ROOT } from "./stack";

describe("audit manifest size at preview", () => {
  const dir = mkdtempSync(join(ROOT, ".tmp-manifest-size-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a waivers file that overflows the six parameters fails the preview (exit 2) with the one size error", async () => {
    // Random reasons barely compress: 60 waivers of 900 characters are ~50 KB of data, past the ~48 KB the parameters hold.
    const waivers = Array.from({ length: 60 }, () => ({
      checkId: "ssm-agent-associations",
      account: "444444444444",
      reason: randomBytes(450).toString("hex"),
      approvedBy: "security-lead@example.com",
      expires: "2027-03-31",
    }));
    const file = join(dir, "waivers.yaml");
    writeFileSync(file, stringify({ waivers }));
    const r = await previewFailing("toolarge", { "audit.waiversFile": relative(ROOT, file) });
    const size = /encoded audit manifest is (\d+) bytes/.exec(r.stderr)?.[1];
    expect(Number(size)).toBeGreaterThan(manifestCapacity(1));
    // One message, prefixed once: only the head's value raises it, and the parts (after the head) never register.
    expect(r.stderr).toBe(
      `error serializing property "value": encoded audit manifest is ${size} bytes; its 6 SSM parameters /orgwarden/toolarge/audit-manifest and /orgwarden/toolarge/audit-manifest/part-2 … /part-6 (Advanced tier, 8192 bytes each, envelopes counted) hold at most ${manifestCapacity(1)}. ` +
        "Shorten orgwarden:scp.exemptPrincipalArns, orgwarden:auditorRoleNames or orgwarden:kms.adminRoleNames (the documents the manifest carries grow with them), publish fewer waivers (orgwarden:audit.waiversFile), or set orgwarden:athena.enabled false (its table definitions are the largest optional part).\n",
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
  });
});

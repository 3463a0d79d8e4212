import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { publishedWaivers } from "../../infra/audit-manifest";

const dir = mkdtempSync(join(tmpdir(), "orgwarden-waivers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
const entry =
  "checkId: kms-grants\n    reason: vendor grant, SEC-1\n    approvedBy: lead@example.com\n    expires: 2027-01-31";

describe("publishedWaivers (audit.waiversFile, read at program time)", () => {
  it("no key and no waivers.yaml in the project: none", () => {
    expect(publishedWaivers(undefined, dir)).toEqual([]);
  });

  it("no key: the project's waivers.yaml", () => {
    const sub = mkdtempSync(join(dir, "p-"));
    writeFileSync(join(sub, "waivers.yaml"), `waivers:\n  - ${entry}\n`);
    expect(publishedWaivers(undefined, sub)).toEqual([
      { checkId: "kms-grants", reason: "vendor grant, SEC-1", approvedBy: "lead@example.com", expires: "2027-01-31" },
    ]);
  });

  it("a named file that does not exist fails, naming the key and the file", () => {
    expect(() => publishedWaivers("missing.yaml", dir)).toThrow(
      "orgwarden:audit.waiversFile: missing.yaml cannot be read (ENOENT); allowed: a waivers YAML file relative to the project directory",
    );
  });

  it("an absolute path is refused", () => {
    expect(() => publishedWaivers("/etc/waivers.yaml", dir)).toThrow(
      "orgwarden:audit.waiversFile: /etc/waivers.yaml must be a path relative to the project directory",
    );
  });

  it("a bad entry fails with one error naming the key, the file, the entry and its key (the CLI's messages)", () => {
    write(
      "bad.yaml",
      `waivers:\n  - checkId: no-such-check\n    reason: x\n    approvedBy: y\n    expires: 31.01.2027\n    owner: z\n`,
    );
    expect(() => publishedWaivers("bad.yaml", dir)).toThrow(
      ["orgwarden:audit.waiversFile: bad.yaml: invalid:", "  - waivers[0]: unknown key owner", expect.any(String)]
        .length === 3
        ? /^orgwarden:audit\.waiversFile: bad\.yaml: invalid:\n {2}- waivers\[0\]\.checkId: must be a registered check id: scp-logging-present, .*\n {2}- waivers\[0\]\.expires: is required and must be an ISO date, e\.g\. 2027-01-31 \(the last day the waiver holds\)\n {2}- waivers\[0\]: unknown key owner$/
        : /never/,
    );
  });

  it("text that is not YAML fails naming the key and the file", () => {
    write("broken.yaml", "waivers: [\n");
    expect(() => publishedWaivers("broken.yaml", dir)).toThrow(
      /^orgwarden:audit\.waiversFile: broken\.yaml is not YAML \(/,
    );
  });
});

/**
 * awscli's own validator (awscli 1.46.2, pinned in requirements-awscli.txt) and ours over the same
 * local copy: on the clean chain both are silent, and on each tampering awscli detects both name
 * the same objects for the same reason. On the stricter cases awscli exits 0 and ours does not.
 * awscli runs through test/agent/integrity/awscli_validate.py: its DigestTraverser, DigestProvider,
 * Sha256RSADigestValidator and CloudTrailValidateLogs._call/_download_log unchanged, with botocore
 * clients that read the copy (awscli itself cannot validate a local copy).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Defect } from "../../../agent/integrity/defects";
import { validateScopes } from "../../../agent/integrity/validate";
import { CASES } from "./cases";
import { copyOf, freshChain, S, WINDOW } from "./scenario";
import { runProcess } from "../../helpers/run";

const ROOT = join(__dirname, "../../..");
const PYTHON = join(ROOT, ".cache/awscli-venv/bin/python");

interface AwscliResult {
  exit: number;
  errors: string[];
}

async function awscli(dir: string, keysFile: string): Promise<AwscliResult> {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: run bash scripts/setup-python.sh (it installs requirements-awscli.txt)`);
  const args = [
    join(__dirname, "awscli_validate.py"),
    dir,
    S.bucket,
    S.orgId,
    S.account,
    S.region,
    S.trailArn,
    WINDOW.from.toISOString(),
    WINDOW.to.toISOString(),
    keysFile,
  ];
  // Not execFileSync: a slow child on a busy machine would block the worker past vitest's RPC timeout.
  const r = await runProcess(PYTHON, args);
  if (r.status !== 0) throw new Error(`awscli_validate.py exited ${r.status ?? r.signal}: ${r.stderr}`);
  return JSON.parse(r.stdout) as AwscliResult;
}

/** awscli's stderr line → the reason and object, in our defect kinds' words. */
function fromAwscli(line: string): string {
  const gap = /^No log files were delivered by CloudTrail between (\S+) and (\S+)$/.exec(line);
  if (gap) return `chain-gap ${gap[1]} ${gap[2]}`;
  const m = /^(Digest|Log) file\t(s3:\/\/\S+)\tINVALID: (.*)$/.exec(line);
  if (!m) return `unparsed: ${line}`;
  const [, what, object, reason] = m;
  const kind =
    reason === "not found"
      ? `${what.toLowerCase()}-missing`
      : reason === "hash value doesn't match"
        ? "log-modified"
        : reason === "signature verification failed"
          ? "digest-signature-invalid"
          : reason.startsWith("public key not found")
            ? "digest-unknown-key"
            : reason.startsWith("has been moved")
              ? "digest-moved"
              : `other: ${reason}`;
  return `${kind} ${object}`;
}

const AWSCLI_KINDS = new Set([
  "log-missing",
  "log-modified",
  "digest-missing",
  "digest-signature-invalid",
  "digest-unknown-key",
  "digest-moved",
  "chain-gap",
]);
/** A gap is compared by its span, which is all awscli prints of it. */
const ours = (defects: Defect[]) =>
  defects
    .filter((d) => AWSCLI_KINDS.has(d.kind))
    .map((d) => (d.kind === "chain-gap" ? `chain-gap ${d.span?.from} ${d.span?.to}` : `${d.kind} ${d.object}`))
    .sort();

describe("awscli's validate-logs and ours agree", () => {
  it.each(CASES)("$name", async (c) => {
    const chain = freshChain();
    c.tamper(chain);
    const copy = copyOf(chain);
    const theirs = await awscli(copy.dir, copy.keysFile);
    const [r] = await validateScopes(
      copy.source,
      [{ orgId: S.orgId, account: S.account, region: S.region, trailName: S.trailName, homeRegion: S.homeRegion }],
      {
        window: WINDOW,
        tail: () => ({ notBefore: new Date(WINDOW.to.getTime() - 3_600_000), because: "the window requires it" }),
      },
    );
    expect(theirs.errors.map(fromAwscli).sort()).toEqual(ours(r.defects));
    const expectedAwscliExit = c.awscliExit ?? (c.awscli && c.expected(chain).length > 0 ? 1 : 0);
    expect(theirs.exit).toBe(expectedAwscliExit);
    // Where awscli is blind, ours still fails: every stricter case has defects awscli never names.
    if (!c.awscli) expect(r.defects.length).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import type { TailRule } from "../../../agent/integrity/chain";
import { validateScopes } from "../../../agent/integrity/validate";
import { CASES } from "./cases";
import { copyOf, freshChain, S, WINDOW } from "./scenario";

const scope = {
  orgId: S.orgId,
  account: S.account,
  region: S.region,
  trailName: S.trailName,
  homeRegion: S.homeRegion,
};
/** The newest digest must be stamped within an hour of the window's end (digests come hourly). */
const tail = (): TailRule => ({
  notBefore: new Date(WINDOW.to.getTime() - 3_600_000),
  because: `the window ends at ${WINDOW.to.toISOString()}`,
});

describe("integrity validator over a local copy", () => {
  it.each(CASES)("$name: exactly the expected defects", async (c) => {
    const chain = freshChain();
    c.tamper(chain);
    const [r] = await validateScopes(copyOf(chain).source, [scope], { window: WINDOW, tail });
    expect(r.error).toBeUndefined();
    const got = r.defects
      .map((d) => ({ kind: d.kind, object: d.object }))
      .sort((a, b) => (a.object + a.kind < b.object + b.kind ? -1 : 1));
    const want = c.expected(chain).sort((a, b) => (a.object + a.kind < b.object + b.kind ? -1 : 1));
    expect(got).toEqual(want);
  });

  it("a clean chain verifies all six digests and twelve log files, hashing their uncompressed bytes", async () => {
    const chain = freshChain();
    const [r] = await validateScopes(copyOf(chain).source, [scope], { window: WINDOW, tail });
    expect({ digests: r.digestsVerified, logs: r.logsVerified, defects: r.defects }).toEqual({
      digests: 6,
      logs: 12,
      defects: [],
    });
    expect(r.bytesHashed).toBeGreaterThan(0);
  });
});

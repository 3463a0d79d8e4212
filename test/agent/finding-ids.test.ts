import { describe, expect, it } from "vitest";
import { findingId } from "../../agent/finding";
import { useMoto } from "../helpers/moto";
import { audit, seed } from "./scenarios/_harness";

const moto = useMoto();

describe("finding ids (sandbox audit over moto; SSM associations and GetTrailStatus CloudWatch/digest fields recorded)", () => {
  it("no two findings of a full audit share an id, and each id is its scope (plus key)", async () => {
    const sb = await seed(moto.endpoint);
    const r = await audit(sb);
    const ids = r.findings.map((f) => f.id);
    expect(ids.length).toBeGreaterThan(40);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const f of r.findings) expect(f.id).toBe(findingId(f));
    // archive-public-access judges one bucket twice: the key, not the order, tells the findings apart.
    expect(r.findings.filter((f) => f.checkId === "archive-public-access").map((f) => f.id)).toEqual([
      `archive-public-access|${sb.accounts.logArchive}|us-east-1|arn:aws:s3:::${sb.buckets.archive}#public-access-block`,
      `archive-public-access|${sb.accounts.logArchive}|us-east-1|arn:aws:s3:::${sb.buckets.archive}#ownership`,
    ]);
  });

  it("findingId joins check, account, region and resource with |, and the key after #", () => {
    const where = { checkId: "c", account: "111111111111", region: "eu-west-1", resourceArn: "arn:aws:s3:::b" };
    expect(findingId(where)).toBe("c|111111111111|eu-west-1|arn:aws:s3:::b");
    expect(findingId({ ...where, key: "ownership" })).toBe("c|111111111111|eu-west-1|arn:aws:s3:::b#ownership");
  });
});

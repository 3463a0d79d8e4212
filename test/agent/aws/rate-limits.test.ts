import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMIT, limitFor, rateTable } from "../../../agent/aws/rate-limits";

/** Every SDK client class the agent's code imports as a value from an @aws-sdk/client-* package (agent/**). */
function agentClientClasses(dir = join(__dirname, "../../../agent")): string[] {
  const out = new Set<string>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) for (const c of agentClientClasses(path)) out.add(c);
    else if (e.name.endsWith(".ts"))
      for (const m of readFileSync(path, "utf8").matchAll(
        /import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-[a-z0-9-]+"/g,
      ))
        for (const name of m[1].split(",").map((x) => x.trim()))
          if (/^[A-Z][A-Za-z0-9]*Client$/.test(name)) out.add(name);
  }
  return [...out].sort();
}
const CLIENTS = agentClientClasses();

describe("the rate table", () => {
  it("has a row for every client the agent builds, so none falls to the default", () => {
    // The scan finds the clients (a broken pattern would find none and prove nothing).
    expect(CLIENTS).toEqual(expect.arrayContaining(["EC2Client", "Route53ResolverClient", "S3Client", "STSClient"]));
    const clients = new Set(rateTable().map((r) => r.client));
    expect(CLIENTS.filter((c) => !clients.has(c))).toEqual([]);
    expect(limitFor("NoSuchClient", "Anything")).toEqual({ ...DEFAULT_LIMIT, family: "default:NoSuchClient" });
  });

  it("cites a source URL for every row and says whether AWS publishes the figure", () => {
    for (const r of rateTable()) {
      expect(r.source, r.family).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/\S+ \(.+\)$/);
      expect(["published", "observed"]).toContain(r.basis);
      expect(r.rate, r.family).toBeGreaterThan(0);
      expect(r.burst, r.family).toBeGreaterThanOrEqual(1);
    }
  });

  it.each([
    ["S3Client", "ListObjectsV2", "s3:list", 5500],
    ["S3Client", "GetBucketPolicy", "s3:bucket", 50],
    ["S3Client", "GetObjectLockConfiguration", "s3:bucket", 50],
    ["KMSClient", "Decrypt", "kms:crypto", 5500],
    ["KMSClient", "GenerateDataKey", "kms:crypto", 5500],
    ["KMSClient", "GetKeyPolicy", "kms:describe", 1000],
    ["KMSClient", "ListGrants", "kms:list", 100],
    ["CloudTrailClient", "LookupEvents", "cloudtrail:lookup", 2],
    ["CloudTrailClient", "GetTrailStatus", "cloudtrail", 10],
    ["OrganizationsClient", "ListAccountsForParent", "organizations", 5],
  ])("%s %s is metered as %s at %d/s", (client, operation, family, rate) => {
    expect(limitFor(client, operation)).toMatchObject({ family, rate });
  });

  it("meters Organizations once for the whole organization, every other family per account and region", () => {
    const scoped = rateTable().filter((r) => r.scope === "organization");
    expect(scoped.map((r) => r.family)).toEqual(["organizations"]);
  });
});

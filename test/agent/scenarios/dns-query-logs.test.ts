import { describe, expect, it } from "vitest";
import { useMoto } from "../../helpers/moto";
import { audit, brief, seed, withStatus } from "./_harness";

const moto = useMoto();

describe("dns-query-log-config over moto (ShareStatus recorded: moto's RAM cannot share a query logging configuration)", () => {
  it("a governed region without the configuration is a FAIL for that region only; the other region passes", async () => {
    const sb = await seed(moto.endpoint, [{ kind: "dns-query-log-config-missing", region: "eu-west-1" }]);
    const r = await audit(sb);
    const dns = r.findings.filter((f) => f.checkId === "dns-query-log-config");
    expect(dns.map((f) => [f.status, f.account, f.region])).toEqual([
      ["PASS", sb.accounts.logArchive, "us-east-1"],
      ["FAIL", sb.accounts.logArchive, "eu-west-1"],
    ]);
    expect(dns[1].message).toBe(
      `The log-archive account has no Resolver query logging configuration named orgwarden-${sb.stack}-dns-query-logs in eu-west-1, so no VPC of the region is logged to the archive.`,
    );
    expect(dns[0].resourceArn).toMatch(
      new RegExp(
        `^arn:aws:route53resolver:us-east-1:${sb.accounts.logArchive}:resolver-query-log-config/rslvr-qlc-[0-9a-f]+$`,
      ),
    );
    // Nothing to associate with in eu-west-1: every account's VPC there is a FAIL of dns-query-log-associations, naming the cause.
    const unassociated = withStatus(r, "FAIL").filter((f) => f.checkId === "dns-query-log-associations");
    expect(unassociated.map((f) => [f.account, f.region]).sort()).toEqual(
      r.scope.accounts.map((a) => [a, "eu-west-1"]).sort(),
    );
    for (const f of unassociated)
      expect(f.message).toMatch(
        /cannot be logged to the archive: the log-archive account has no configuration orgwarden-sandbox-dns-query-logs delivering to arn:aws:s3:::orgwarden-sandbox-dns-logs-\d{12} in eu-west-1 \(see dns-query-log-config\)\.$/,
      );
    // And its share cannot be judged there.
    expect(
      withStatus(r, "FAIL")
        .filter((f) => f.checkId === "dns-query-log-share")
        .map((f) => [f.account, f.region]),
    ).toEqual([[sb.accounts.logArchive, "eu-west-1"]]);
    expect(brief(withStatus(r, "FAIL"))).toHaveLength(1 + r.scope.accounts.length + 1);
    expect(r.exitCode).toBe(1);
  });
});

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
    expect(brief(withStatus(r, "FAIL"))).toHaveLength(1);
    expect(r.exitCode).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import {
  AthenaClient,
  CreateWorkGroupCommand,
  DeleteWorkGroupCommand,
  GetWorkGroupCommand,
} from "@aws-sdk/client-athena";
import { addOutsiderGrant } from "../../../agent/sandbox/drifts";
import { useMoto } from "../../helpers/moto";
import { audit, brief, seed, withStatus } from "./_harness";

const moto = useMoto();

describe("scenarios over moto (SSM associations and GetTrailStatus CloudWatch/digest fields recorded)", () => {
  it("2. a foreign principal added to the bucket policy is a CRITICAL FAIL naming the statement", async () => {
    const sb = await seed(moto.endpoint, [{ kind: "foreign-principal-in-bucket-policy" }]);
    const r = await audit(sb);
    const fails = withStatus(r, "FAIL");
    expect(brief(fails)).toHaveLength(1);
    const f = fails[0];
    expect(f.checkId).toBe("archive-bucket-policy");
    expect(f.severity).toBe("CRITICAL");
    expect(f.account).toBe(sb.accounts.logArchive);
    expect(f.resourceArn).toBe(`arn:aws:s3:::${sb.buckets.archive}`);
    expect(f.message).toContain("ForeignRead");
    expect(f.message).toContain("arn:aws:iam::999999999999:root");
    expect(withStatus(r, "ERROR")).toEqual([]);
    expect(r.exitCode).toBe(1);
  });

  it("3. a grant to an outsider is a FAIL naming the grant", async () => {
    const sb = await seed(moto.endpoint);
    const grantId = await addOutsiderGrant(sb);
    const r = await audit(sb);
    const fails = withStatus(r, "FAIL");
    expect(brief(fails)).toHaveLength(1);
    expect(fails[0].checkId).toBe("kms-grants");
    expect(fails[0].account).toBe(sb.accounts.security);
    expect(fails[0].message).toContain("arn:aws:iam::999999999999:role/outsider");
    expect(fails[0].message).toContain(grantId);
    expect(r.exitCode).toBe(1);
  });

  it("the Athena CloudTrail table pointed at another bucket is a FAIL of athena-catalog on that table only", async () => {
    const sb = await seed(moto.endpoint, [{ kind: "athena-table-moved" }]);
    const r = await audit(sb);
    const fails = withStatus(r, "FAIL");
    expect(brief(fails)).toHaveLength(1);
    const db = sb.manifest.athena!.databaseName;
    expect([fails[0].checkId, fails[0].account, fails[0].region, fails[0].resourceArn]).toEqual([
      "athena-catalog",
      sb.accounts.security,
      sb.region,
      `arn:aws:glue:${sb.region}:${sb.accounts.security}:table/${db}/cloudtrail`,
    ]);
    expect(fails[0].message).toContain('location is "s3://elsewhere/AWSLogs/"');
    const flow = r.findings.filter((f) => f.checkId === "athena-catalog" && f.resourceArn.endsWith("/vpc_flow_logs"));
    expect(flow.map((f) => f.status)).toEqual(["PASS"]);
    expect(withStatus(r, "ERROR")).toEqual([]);
  });

  it("the seeded Athena workgroup PASSes athena-workgroup; laid again without enforcement it is the one FAIL", async () => {
    const sb = await seed(moto.endpoint);
    const want = sb.manifest.athena!.workgroup!;
    const arn = `arn:aws:athena:${sb.region}:${sb.accounts.security}:workgroup/${want.name}`;
    const clean = await audit(sb);
    const judged = clean.findings.filter((f) => f.checkId === "athena-workgroup");
    expect(judged.map((f) => [f.status, f.account, f.region, f.resourceArn])).toEqual([
      ["PASS", sb.accounts.security, sb.region, arn],
    ]);
    // Moto has no UpdateWorkGroup: the drift is the workgroup deleted and created again with enforcement off.
    const athena = await sb.session.client(AthenaClient, sb.accounts.security, sb.region);
    const live = (await athena.send(new GetWorkGroupCommand({ WorkGroup: want.name }))).WorkGroup!;
    await athena.send(new DeleteWorkGroupCommand({ WorkGroup: want.name }));
    await athena.send(
      new CreateWorkGroupCommand({
        Name: want.name,
        Description: live.Description,
        Configuration: { ...live.Configuration, EnforceWorkGroupConfiguration: false },
      }),
    );
    const r = await audit(sb);
    const fails = withStatus(r, "FAIL");
    expect(brief(fails)).toHaveLength(1);
    expect([fails[0].checkId, fails[0].resourceArn, fails[0].message]).toEqual([
      "athena-workgroup",
      arn,
      `Workgroup ${want.name} does not enforce its configuration, so a client may override the results location and encryption.`,
    ]);
    expect(withStatus(r, "ERROR")).toEqual([]);
  });

  it("7. Object Lock retention below the intended days is a FAIL", async () => {
    const sb = await seed(moto.endpoint, [{ kind: "object-lock-days", days: 30 }]);
    const r = await audit(sb);
    const fails = withStatus(r, "FAIL");
    expect(brief(fails)).toHaveLength(1);
    expect(fails[0].checkId).toBe("archive-object-lock");
    expect(fails[0].message).toContain("30");
    expect(fails[0].message).toContain("365");
    expect(r.exitCode).toBe(1);
  });

  it("9. missing logs for one account is a FAIL for that account only, in each governed region", async () => {
    const sb = await seed(moto.endpoint, [{ kind: "missing-logs", account: "member-0" }]);
    const member = sb.accounts.members[0];
    const r = await audit(sb);
    const fails = withStatus(r, "FAIL");
    expect(fails.map((f) => [f.checkId, f.account, f.region])).toEqual(
      sb.governedRegions.map((region) => ["archive-delivery-freshness", member, region]),
    );
    const others = r.findings.filter((f) => f.checkId === "archive-delivery-freshness" && f.account !== member);
    expect(others.map((f) => [f.account, f.region, f.status]).sort()).toEqual(
      [sb.accounts.management, sb.accounts.logArchive, sb.accounts.security, sb.accounts.members[1]]
        .flatMap((a) => sb.governedRegions.map((region) => [a, region, "PASS"]))
        .sort(),
    );
    expect(r.exitCode).toBe(1);
  });
});

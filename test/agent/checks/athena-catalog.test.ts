/**
 * athena-catalog over state collected from moto's Glue (the real collector, the agent's own
 * clients, the security account entered by AssumeRole): the catalogue as infra lays it passes; a
 * moved location, projection switched off, another SerDe, a missing table or database fail; a
 * failed read is ERROR, never PASS. The read role's two Glue actions under the IAM simulator.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from "@aws-sdk/client-glue";
import type { AuditManifest } from "../../../baseline";
import { cloudTrailTable, flowLogTable, type TableSpec } from "../../../baseline/athena";
import { auditRoleExtraPolicy } from "../../../baseline/detection";
import { collectAthenaCatalog, unreadableAthenaCatalog } from "../../../agent/collectors/athena";
import { CHECKS } from "../../../agent/checks/registry";
import * as check from "../../../agent/checks/archive/athena-catalog";
import type { ObservedState } from "../../../agent/model";
import { useMoto } from "../../helpers/moto";
import { roleCaller, simulate } from "../../helpers/iam-sim";
import { agentClients } from "../collectors/_clients";
import { cleanManifest, cleanObserved, CTX, HOME, ORG } from "./fixtures";

const moto = useMoto();
let env: ReturnType<typeof agentClients>;
afterEach(() => env?.destroy());

const DB = "orgwarden_prod_logs";
const TRAIL = cloudTrailTable({
  archiveBucketName: "orgwarden-prod-cloudtrail-111111111111",
  orgId: ORG.id,
  regions: [HOME, "eu-west-1"],
});
const FLOW = flowLogTable({ flowLogBucketName: "orgwarden-prod-flow-logs-111111111111", regions: [HOME] });
const tableArn = (t: string) => `arn:aws:glue:${HOME}:${ORG.security}:table/${DB}/${t}`;

function manifest(): AuditManifest {
  return {
    ...cleanManifest(),
    athena: { databaseName: DB, workgroupName: "orgwarden-prod-logs", tables: [TRAIL, FLOW] },
  };
}

/** The table as infra lays it (infra/athena/log-analytics.ts), in Glue's TableInput shape. */
const tableInput = (t: TableSpec) => ({
  Name: t.name,
  Description: t.description,
  TableType: "EXTERNAL_TABLE",
  Parameters: t.parameters,
  PartitionKeys: t.partitionKeys.map((c) => ({ Name: c.name, Type: c.type })),
  StorageDescriptor: {
    Location: t.location,
    InputFormat: t.inputFormat,
    OutputFormat: t.outputFormat,
    SerdeInfo: { SerializationLibrary: t.serializationLibrary },
    Columns: t.columns.map((c) => ({ Name: c.name, Type: c.type })),
  },
});

/** Lays the database (unless `database` is false) and `tables` in moto's security account, then collects. */
async function observe(tables: TableSpec[], database = true): Promise<ObservedState> {
  env = agentClients(moto.endpoint);
  const glue = await env.get(GlueClient, ORG.security);
  if (database) {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: DB } }));
    for (const t of tables) await glue.send(new CreateTableCommand({ DatabaseName: DB, TableInput: tableInput(t) }));
  }
  return { ...cleanObserved(), athenaCatalog: await collectAthenaCatalog(glue, ORG.security, HOME, DB) };
}
const summary = (fs: ReturnType<typeof check.evaluate>) => fs.map((f) => [f.status, f.resourceArn]);

describe("athena-catalog on moto", () => {
  it("is registered", () => {
    expect(CHECKS).toContain(check);
  });

  it("PASS for both tables as infra lays them", async () => {
    const o = await observe([TRAIL, FLOW]);
    const fs = check.evaluate(o, manifest(), CTX);
    expect(summary(fs)).toEqual([
      ["PASS", tableArn("cloudtrail")],
      ["PASS", tableArn("vpc_flow_logs")],
    ]);
    expect(fs[0].message).toBe(
      `The table ${DB}.cloudtrail reads ${TRAIL.location} with com.amazon.emr.hive.serde.CloudTrailSerde and the intended partition projection.`,
    );
  });

  it("FAIL when a table reads another bucket, has projection off, or another SerDe; each named", async () => {
    const moved: TableSpec = {
      ...TRAIL,
      location: "s3://somewhere-else/AWSLogs/",
      parameters: { ...TRAIL.parameters, "projection.enabled": "false" },
    };
    const serde: TableSpec = { ...FLOW, serializationLibrary: "org.openx.data.jsonserde.JsonSerDe" };
    const fs = check.evaluate(await observe([moved, serde]), manifest(), CTX);
    expect(fs.map((f) => f.status)).toEqual(["FAIL", "FAIL"]);
    expect(fs[0].message).toBe(
      `Table cloudtrail: location is "s3://somewhere-else/AWSLogs/", intended "${TRAIL.location}"; table cloudtrail: parameter projection.enabled is "false", intended "true".`,
    );
    expect(fs[1].message).toBe(
      'Table vpc_flow_logs: SerDe is "org.openx.data.jsonserde.JsonSerDe", intended "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe".',
    );
  });

  it("FAIL when a table is missing", async () => {
    const [trail, flow] = check.evaluate(await observe([TRAIL]), manifest(), CTX);
    expect(trail.status).toBe("PASS");
    expect([flow.status, flow.message]).toEqual([
      "FAIL",
      `The table vpc_flow_logs is missing from ${DB}; run \`pulumi up\`.`,
    ]);
  });

  it("FAIL when the database is missing (one finding on the database)", async () => {
    const fs = check.evaluate(await observe([], false), manifest(), CTX);
    expect(fs).toHaveLength(1);
    const [db] = fs;
    expect([db.status, db.resourceArn]).toEqual(["FAIL", `arn:aws:glue:${HOME}:${ORG.security}:database/${DB}`]);
  });

  it("ERROR when the catalogue could not be read or was not collected; NOT_APPLICABLE without an athena area", () => {
    const denied = unreadableAthenaCatalog(DB, {
      name: "AccessDeniedException",
      message: "not authorized to perform glue:GetDatabase",
      operation: "GetDatabase",
      service: "glue",
      account: ORG.security,
      region: HOME,
      kind: "access-denied",
    });
    const [e] = check.evaluate({ ...cleanObserved(), athenaCatalog: denied }, manifest(), CTX);
    expect(e.status).toBe("ERROR");
    const { athenaCatalog: _dropped, ...notCollected } = cleanObserved();
    const [n] = check.evaluate(notCollected, manifest(), CTX);
    expect([n.status, n.observed]).toEqual(["ERROR", "not collected"]);
    const { athena: _none, ...noAthena } = cleanManifest();
    const [na] = check.evaluate(cleanObserved(), noAthena, CTX);
    expect([na.status, na.message]).toEqual([
      "NOT_APPLICABLE",
      `${check.metadata.title}: not applicable, the audit manifest has no athena area (the stack sets athena.enabled to false).`,
    ]);
  });

  it("the audit read role may read the catalogue (glue:GetDatabase, glue:GetTables) and change nothing in it", async () => {
    const reader = roleCaller({
      accountId: ORG.security,
      roleName: "orgwarden-audit-read",
      identityPolicies: [auditRoleExtraPolicy()],
    });
    const on = async (action: string, resource: string) =>
      (await simulate({ caller: reader, action, resource, resourceAccount: ORG.security })).result;
    const db = `arn:aws:glue:${HOME}:${ORG.security}:database/${DB}`;
    expect(await on("glue:GetDatabase", db)).toBe("Allowed");
    expect(await on("glue:GetTables", db)).toBe("Allowed");
    for (const action of ["glue:UpdateTable", "glue:DeleteTable", "glue:CreateTable"])
      expect(await on(action, tableArn("cloudtrail")), action).not.toBe("Allowed");
  });
});

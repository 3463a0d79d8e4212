/**
 * athena-catalog: the Glue database and tables Athena reads the logs through (security account,
 * home region) are the ones infra laid (the manifest's athena area, from baseline/athena/tables.ts):
 * same location, SerDe and formats, columns, partition keys and every table parameter, the
 * projection.* keys and storage.location.template included. A table that points elsewhere, drops
 * projection or reads with another SerDe makes the responder's queries return nothing, or another
 * bucket's data, without an error.
 */
import { glueArn } from "../../../baseline/athena/policies";
import type { AuditManifest } from "../../../baseline";
import type { TableSpec } from "../../../baseline/athena/tables";
import type { CheckMetadata, Finding } from "../../finding";
import type { ObservedGlueTable, ObservedState } from "../../model";
import { blocked, finding, verdict, type CheckContext, type Scope } from "../common";

export const metadata: CheckMetadata = {
  id: "athena-catalog",
  title: "The Athena log tables read the archive and the flow logs as infra laid them",
  area: "archive",
  severity: "MEDIUM",
  risk: 'A Glue table whose location, SerDe or partition projection has drifted makes every responder query over it return nothing, or another bucket\'s data, without an error: an investigation concludes "no such activity" from a table that no longer reads the logs.',
  remediation: {
    console:
      "Glue console (security account, home region) → Databases → the orgwarden log database → the table: restore its location, SerDe, columns and table properties as the stack defines them (or delete the table and run `pulumi up`).",
    cli: "aws glue update-table --database-name <log-database> --table-input file://intended-table.json (the manifest's athena.tables entry, in Glue's TableInput shape)",
    pulumi:
      "Run `pulumi up` on the orgwarden stack: the athena-table-* resources (infra/athena/log-analytics.ts) are built from baseline/athena/tables.ts.",
  },
  controls: [],
  references: [
    "https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html",
    "https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html",
    "https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-partition-projection-parquet-example.html",
  ],
};

const show = (v: unknown) => JSON.stringify(v);

/** What differs between the intended table and the one read back, each naming the table and what to restore. */
export function tableProblems(want: TableSpec, have: ObservedGlueTable): string[] {
  const out: string[] = [];
  const field = (what: string, w: string, h: string | undefined) => {
    if (w !== h) out.push(`table ${want.name}: ${what} is ${show(h ?? null)}, intended ${show(w)}`);
  };
  field("location", want.location, have.location);
  field("SerDe", want.serializationLibrary, have.serializationLibrary);
  field("input format", want.inputFormat, have.inputFormat);
  field("output format", want.outputFormat, have.outputFormat);
  for (const [k, v] of Object.entries(want.parameters)) {
    if (have.parameters[k] !== v)
      out.push(`table ${want.name}: parameter ${k} is ${show(have.parameters[k] ?? null)}, intended ${show(v)}`);
  }
  for (const k of Object.keys(have.parameters)) {
    // Glue and Athena add bookkeeping parameters of their own; only an extra projection key changes what is read.
    if (k.startsWith("projection.") && !(k in want.parameters))
      out.push(`table ${want.name}: parameter ${k} is ${show(have.parameters[k])}, not intended`);
  }
  const cols = (cs: { name: string; type: string }[]) => cs.map((c) => `${c.name} ${c.type}`).join(", ");
  if (cols(want.columns) !== cols(have.columns))
    out.push(`table ${want.name}: its columns differ from the intended ${want.columns.length}`);
  if (cols(want.partitionKeys) !== cols(have.partitionKeys))
    out.push(
      `table ${want.name}: partition keys are (${cols(have.partitionKeys)}), intended (${cols(want.partitionKeys)})`,
    );
  return out;
}

export function evaluate(observed: ObservedState, intended: AuditManifest, _ctx: CheckContext): Finding[] {
  const account = intended.organization.securityAccountId;
  const region = intended.regions.home;
  const athena = intended.athena;
  if (!athena) {
    return [
      finding(
        metadata,
        { account, region, resourceArn: glueArn(region, account, "database/*") },
        {
          status: "NOT_APPLICABLE",
          intended: "no Athena log catalogue (athena.enabled is false)",
          observed: null,
          message: `${metadata.title}: not applicable, the audit manifest has no athena area (the stack sets athena.enabled to false).`,
        },
      ),
    ];
  }
  const dbScope: Scope = { account, region, resourceArn: glueArn(region, account, `database/${athena.databaseName}`) };
  const o = observed.athenaCatalog;
  if (!o || o.databaseName !== athena.databaseName) {
    return [
      finding(metadata, dbScope, {
        status: "ERROR",
        intended: athena.databaseName,
        observed: "not collected",
        message: `${metadata.title}: not evaluated, because the observed state holds no reading of the Glue database ${athena.databaseName}. Run the audit with an agent that collects the Athena catalogue.`,
      }),
    ];
  }
  const stop = blocked(metadata, observed, dbScope, athena.databaseName, o.databaseExists, o.tables);
  if (stop) return [stop];
  if (o.databaseExists.ok && !o.databaseExists.value) {
    return [
      verdict(
        metadata,
        dbScope,
        athena.databaseName,
        "absent",
        [`the Glue database ${athena.databaseName} does not exist, so no log table can be queried; run \`pulumi up\``],
        "",
      ),
    ];
  }
  const tables = o.tables.ok ? o.tables.value : [];
  return athena.tables.map((want) => {
    const scope: Scope = {
      account,
      region,
      resourceArn: glueArn(region, account, `table/${athena.databaseName}/${want.name}`),
    };
    const have = tables.find((t) => t.name === want.name);
    const problems = have
      ? tableProblems(want, have)
      : [`the table ${want.name} is missing from ${athena.databaseName}; run \`pulumi up\``];
    return verdict(
      metadata,
      scope,
      { location: want.location, serde: want.serializationLibrary, projection: "as laid" },
      have ? { location: have.location ?? null, serde: have.serializationLibrary ?? null } : "absent",
      problems,
      `The table ${athena.databaseName}.${want.name} reads ${want.location} with ${want.serializationLibrary} and the intended partition projection.`,
    );
  });
}

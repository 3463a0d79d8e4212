/**
 * The Athena tables and the saved queries over them. No Trino/Presto SQL parser is installed, so
 * each query is held to its table by its identifiers: with string literals and struct field
 * accesses removed, every remaining word is an SQL keyword, a function, one of the query's own
 * aliases, the table, or a column of that table; and the columns the query declares are exactly
 * the ones it names.
 */
import { describe, expect, it } from "vitest";
import {
  checkTable,
  cloudTrailTable,
  columnNames,
  flowLogTable,
  NAMED_QUERIES,
  type TableSpec,
} from "../../../baseline/athena";
import { FLOW_LOG_FIELDS } from "../../../baseline/network";

const tables: Record<string, TableSpec> = Object.fromEntries(
  [
    cloudTrailTable({ archiveBucketName: "archive", orgId: "o-a1b2c3d4e5", regions: ["us-east-1", "eu-west-1"] }),
    flowLogTable({ flowLogBucketName: "flow", regions: ["us-east-1"] }),
  ].map((t) => [t.name, t]),
);

const SQL_WORDS = new Set(
  (
    "select from where and or in like as group by order desc asc limit count sum min max " +
    "date_format date_add current_date json_extract_scalar from_unixtime"
  ).split(" "),
);

function identifiers(sql: string): string[] {
  const noLiterals = sql.replace(/'[^']*'/g, " ");
  // a.b: keep a (the column), drop .b (a struct field).
  const noFields = noLiterals.replace(/\.[a-z_][a-z0-9_]*/gi, " ");
  return [...new Set(noFields.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? [])];
}
const aliases = (sql: string) => [...sql.matchAll(/\bAS\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1].toLowerCase());

describe("the Athena tables", () => {
  it.each(Object.values(tables))(
    "$name: every column a lower-case identifier, every partition key projected and in the template",
    (t) => {
      expect(() => checkTable(t)).not.toThrow();
      const template = t.parameters["storage.location.template"];
      expect(template.startsWith(t.location)).toBe(true);
      for (const k of t.partitionKeys) {
        expect(t.parameters[`projection.${k.name}.type`], k.name).toBeDefined();
        expect(template).toContain(`\${${k.name}}`);
      }
      expect(t.parameters["projection.enabled"]).toBe("true");
      expect(t.parameters["projection.account.type"]).toBe("injected");
      const names = columnNames(t);
      expect(new Set(names).size).toBe(names.length);
    },
  );

  it("the flow-log table has one column per field of the flow logs' custom format, in its order", () => {
    expect(tables.vpc_flow_logs.columns.map((c) => c.name)).toEqual(FLOW_LOG_FIELDS.map((f) => f.replaceAll("-", "_")));
  });

  it("the CloudTrail table reads CloudTrail/ only (never CloudTrail-Digest/) of the organization's prefix", () => {
    expect(tables.cloudtrail.parameters["storage.location.template"]).toBe(
      "s3://archive/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${day}",
    );
    expect(tables.cloudtrail.parameters["projection.region.values"]).toBe("eu-west-1,us-east-1");
    expect(tables.cloudtrail.serializationLibrary).toBe("com.amazon.emr.hive.serde.CloudTrailSerde");
  });

  it("refuses a table over no region", () => {
    expect(() => flowLogTable({ flowLogBucketName: "flow", regions: [] })).toThrow(
      "flowLogTable: regions must name at least one region",
    );
  });
});

describe("the saved queries", () => {
  it("are the five a responder needs first, with unique ids", () => {
    expect(NAMED_QUERIES.map((q) => q.id)).toEqual([
      "console-logins-without-mfa",
      "root-activity",
      "denied-calls-by-principal",
      "top-talkers",
      "rejected-flows",
    ]);
  });

  it.each(NAMED_QUERIES)("$id names only columns of its table, exactly those it declares", (q) => {
    const t = tables[q.table];
    expect(q.sql).toMatch(new RegExp(`\\bFROM ${q.table}\\b`));
    for (const c of q.columns) expect(columnNames(t), c).toContain(c);
    const words = identifiers(q.sql).filter((w) => !SQL_WORDS.has(w) && !aliases(q.sql).includes(w) && w !== q.table);
    expect(words.sort()).toEqual([...q.columns].sort());
  });

  it.each(NAMED_QUERIES)("$id takes the account (the injected partition) and the window as its two parameters", (q) => {
    expect(q.sql.match(/\?/g)).toHaveLength(2);
    expect(q.sql.indexOf("account = ?")).toBeLessThan(q.sql.lastIndexOf("?"));
    expect(q.sql).toContain("day >= date_format(date_add('day', -?, current_date), '%Y/%m/%d')");
  });

  it("match the issue's conditions", () => {
    const sql = (id: string) => NAMED_QUERIES.find((q) => q.id === id)!.sql;
    expect(sql("console-logins-without-mfa")).toContain("eventname = 'ConsoleLogin'");
    expect(sql("console-logins-without-mfa")).toContain("json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'");
    expect(sql("root-activity")).toContain("useridentity.type = 'Root'");
    expect(sql("denied-calls-by-principal")).toContain("'AccessDenied'");
    expect(sql("denied-calls-by-principal")).toContain("'UnauthorizedOperation'");
    expect(sql("top-talkers")).toContain("ORDER BY total_bytes DESC");
    expect(sql("rejected-flows")).toContain("action = 'REJECT'");
  });
});

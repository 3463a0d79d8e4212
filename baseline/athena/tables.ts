/**
 * The Glue catalogue Athena queries the logs through: one database in the security account, a
 * CloudTrail table over the archive and a flow-log table over the flow-log bucket (both buckets in
 * the log-archive account), with partition projection so no crawler and no ALTER TABLE ADD
 * PARTITION is ever needed. Pure data: infra lays it, the agent compares the live catalogue with it.
 *
 * Partition projection (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html):
 * - `account` is `injected`: an organization gains accounts after deploy, and an `enum` would stop
 *   returning a new account's events without a word. An injected column makes every query name the
 *   account(s) it reads (`account = '…'` or `account IN (…)`), which also bounds what it scans.
 * - CloudTrail `region` is an `enum` of every commercial region, not only the governed ones: the
 *   organization trail is multi-region, and activity in a region nobody governs is what a responder
 *   looks for first. The flow-log `region` is the governed regions, where the member baseline lays
 *   flow logs.
 * - dates are `date` partitions in the layout each service writes: CloudTrail
 *   AWSLogs/<org>/<account>/CloudTrail/<region>/yyyy/MM/dd/ ("CloudTrail log file examples",
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html),
 *   flow logs AWSLogs/<account>/vpcflowlogs/<region>/yyyy/MM/dd/HH/ (Parquet, hourly, not Hive
 *   compatible: FLOW_LOG_DESTINATION_OPTIONS).
 * The DDL shapes follow "Create the table for CloudTrail logs in Athena using partition projection"
 * (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html)
 * and "Create tables for flow logs in Apache Parquet format using partition projection"
 * (https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-partition-projection-parquet-example.html).
 */
import { z } from "zod";
import { FLOW_LOG_DESTINATION_OPTIONS, FLOW_LOG_FIELDS } from "../network/flow-log-remediation";
import { workgroupSpecSchema } from "./workgroup";

export interface Column {
  name: string;
  /** Hive type, as Glue stores it. */
  type: string;
}

export interface TableSpec {
  name: string;
  description: string;
  columns: Column[];
  partitionKeys: Column[];
  /** s3://bucket/prefix/ the table is rooted at. */
  location: string;
  inputFormat: string;
  outputFormat: string;
  serializationLibrary: string;
  /** Table parameters: EXTERNAL, classification and the projection.* / storage.location.template keys. */
  parameters: Record<string, string>;
}

/** The first day either projection enumerates: CloudTrail's launch (November 2013); nothing older exists. */
export const PROJECTION_START = "2013/11/01";

const ident = (s: string) => STRUCT_FIELD.test(s);
const STRUCT_FIELD = /^[a-z][a-z0-9_]*$/;

/** Columns of a CloudTrail record, as AWS's CloudTrail table declares them (lower case, JSON names). */
export const CLOUDTRAIL_COLUMNS: Column[] = [
  { name: "eventversion", type: "string" },
  {
    name: "useridentity",
    type:
      "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string," +
      "username:string,onbehalfof:struct<userid:string,identitystorearn:string>," +
      "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>," +
      "sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>," +
      "ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>",
  },
  { name: "eventtime", type: "string" },
  { name: "eventsource", type: "string" },
  { name: "eventname", type: "string" },
  { name: "awsregion", type: "string" },
  { name: "sourceipaddress", type: "string" },
  { name: "useragent", type: "string" },
  { name: "errorcode", type: "string" },
  { name: "errormessage", type: "string" },
  { name: "requestparameters", type: "string" },
  { name: "responseelements", type: "string" },
  { name: "additionaleventdata", type: "string" },
  { name: "requestid", type: "string" },
  { name: "eventid", type: "string" },
  { name: "resources", type: "array<struct<arn:string,accountid:string,type:string>>" },
  { name: "eventtype", type: "string" },
  { name: "apiversion", type: "string" },
  { name: "readonly", type: "string" },
  { name: "recipientaccountid", type: "string" },
  { name: "serviceeventdetails", type: "string" },
  { name: "sharedeventid", type: "string" },
  { name: "vpcendpointid", type: "string" },
  { name: "vpcendpointaccountid", type: "string" },
  { name: "eventcategory", type: "string" },
  {
    name: "addendum",
    type: "struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>",
  },
  { name: "sessioncredentialfromconsole", type: "string" },
  { name: "edgedevicedetails", type: "string" },
  { name: "tlsdetails", type: "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>" },
];

/**
 * Parquet flow-log columns: the custom format's fields with '-' as '_' (how VPC writes Parquet
 * field names), typed as AWS's Parquet table types them. Derived from FLOW_LOG_FIELDS, so a field
 * added to the format without a type here fails at load, not in a responder's query.
 */
const FLOW_LOG_TYPES: Record<(typeof FLOW_LOG_FIELDS)[number], string> = {
  version: "int",
  "account-id": "string",
  "interface-id": "string",
  srcaddr: "string",
  dstaddr: "string",
  srcport: "int",
  dstport: "int",
  protocol: "bigint",
  packets: "bigint",
  bytes: "bigint",
  start: "bigint",
  end: "bigint",
  action: "string",
  "log-status": "string",
  "vpc-id": "string",
  "subnet-id": "string",
  "instance-id": "string",
  "tcp-flags": "int",
  "flow-direction": "string",
};
export const FLOW_LOG_COLUMNS: Column[] = FLOW_LOG_FIELDS.map((f) => ({
  name: f.replaceAll("-", "_"),
  type: FLOW_LOG_TYPES[f],
}));

export const CLOUDTRAIL_SERDE = {
  serializationLibrary: "com.amazon.emr.hive.serde.CloudTrailSerde",
  inputFormat: "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
};

export const PARQUET_SERDE = {
  serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
  inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
};

export const CLOUDTRAIL_TABLE = "cloudtrail";
export const FLOW_LOG_TABLE = "vpc_flow_logs";

export interface CloudTrailTableInput {
  archiveBucketName: string;
  orgId: string;
  /** Every region the organization trail can log from (the commercial regions). */
  regions: string[];
}

function checkRegions(fn: string, regions: string[]): void {
  if (regions.length === 0) throw new Error(`${fn}: regions must name at least one region`);
  for (const r of regions) if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) throw new Error(`${fn}: "${r}" is not a region`);
}

const dateProjection = (col: string, format: string) => ({
  [`projection.${col}.type`]: "date",
  [`projection.${col}.format`]: format,
  [`projection.${col}.range`]: `${PROJECTION_START},NOW`,
  [`projection.${col}.interval`]: "1",
  [`projection.${col}.interval.unit`]: "DAYS",
});

export function cloudTrailTable(i: CloudTrailTableInput): TableSpec {
  checkRegions("cloudTrailTable", i.regions);
  const root = `s3://${i.archiveBucketName}/AWSLogs/${i.orgId}/`;
  return {
    name: CLOUDTRAIL_TABLE,
    description: "orgwarden: the organization trail's log files in the CloudTrail archive (log-archive account)",
    columns: CLOUDTRAIL_COLUMNS,
    partitionKeys: [
      { name: "account", type: "string" },
      { name: "region", type: "string" },
      { name: "day", type: "string" },
    ],
    location: root,
    ...CLOUDTRAIL_SERDE,
    parameters: {
      EXTERNAL: "TRUE",
      classification: "cloudtrail",
      "projection.enabled": "true",
      "projection.account.type": "injected",
      "projection.region.type": "enum",
      "projection.region.values": [...i.regions].sort().join(","),
      ...dateProjection("day", "yyyy/MM/dd"),
      // CloudTrail-Digest/ sits next to CloudTrail/ and is never matched: the template names CloudTrail/.
      "storage.location.template": `${root}\${account}/CloudTrail/\${region}/\${day}`,
    },
  };
}

export interface FlowLogTableInput {
  flowLogBucketName: string;
  /** Regions the member baseline lays flow logs in (the governed regions). */
  regions: string[];
}

export function flowLogTable(i: FlowLogTableInput): TableSpec {
  checkRegions("flowLogTable", i.regions);
  if (FLOW_LOG_DESTINATION_OPTIONS.HiveCompatiblePartitions || !FLOW_LOG_DESTINATION_OPTIONS.PerHourPartition)
    throw new Error(
      "flowLogTable: the template below assumes hourly, non-Hive prefixes (FLOW_LOG_DESTINATION_OPTIONS)",
    );
  const root = `s3://${i.flowLogBucketName}/AWSLogs/`;
  return {
    name: FLOW_LOG_TABLE,
    description: "orgwarden: VPC Flow Logs of every governed account and region (Parquet, hourly; log-archive account)",
    columns: FLOW_LOG_COLUMNS,
    partitionKeys: [
      { name: "account", type: "string" },
      { name: "region", type: "string" },
      { name: "day", type: "string" },
      { name: "hour", type: "string" },
    ],
    location: root,
    ...PARQUET_SERDE,
    parameters: {
      EXTERNAL: "TRUE",
      classification: "parquet",
      "projection.enabled": "true",
      "projection.account.type": "injected",
      "projection.region.type": "enum",
      "projection.region.values": [...i.regions].sort().join(","),
      ...dateProjection("day", "yyyy/MM/dd"),
      "projection.hour.type": "integer",
      "projection.hour.range": "0,23",
      "projection.hour.digits": "2",
      "storage.location.template": `${root}\${account}/vpcflowlogs/\${region}/\${day}/\${hour}`,
    },
  };
}

/** Top-level column names of a table, partition keys included: what a query may name. */
export function columnNames(t: TableSpec): string[] {
  return [...t.columns, ...t.partitionKeys].map((c) => c.name);
}

/** Every name must be a plain lower-case identifier: Glue lower-cases them, and a mismatch would query nothing. */
export function checkTable(t: TableSpec): void {
  for (const c of [...t.columns, ...t.partitionKeys])
    if (!ident(c.name)) throw new Error(`table ${t.name}: column "${c.name}" is not a lower-case identifier`);
}

const columnSchema = z.strictObject({ name: z.string().min(1), type: z.string().min(1) });

/** A table as the manifest carries it (the `athena` area): everything the audit compares with the live catalogue. */
export const tableSpecSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  columns: z.array(columnSchema).min(1),
  partitionKeys: z.array(columnSchema),
  location: z.string().startsWith("s3://"),
  inputFormat: z.string().min(1),
  outputFormat: z.string().min(1),
  serializationLibrary: z.string().min(1),
  parameters: z.record(z.string(), z.string()),
});

/** The manifest's `athena` area: absent when athena.enabled is false. */
export const athenaManifestSchema = z
  .strictObject({
    /** The Glue database and the workgroup (security account, home region). */
    databaseName: z.string().min(1),
    workgroupName: z.string().min(1),
    tables: z.array(tableSpecSchema).min(1),
    /**
     * The workgroup's intended settings (baseline/athena/workgroup.ts), named workgroupName. Absent in a
     * manifest published before athena-workgroup: that check is then ERROR, saying to republish.
     */
    workgroup: workgroupSpecSchema.optional(),
  })
  .refine((a) => !a.workgroup || a.workgroup.name === a.workgroupName, {
    message: "athena.workgroup.name must equal athena.workgroupName",
    path: ["workgroup", "name"],
  });
export type AthenaManifest = z.infer<typeof athenaManifestSchema>;

/**
 * The Athena log catalogue as infra lays it (infra/athena/log-analytics.ts): the Glue database and
 * the CloudTrail and flow-log tables in the security account, home region, built from the same
 * baseline/athena definitions. Moto stores Glue tables (it does not run Athena), which is all the
 * athena-catalog check reads. Plus the one drift that check must catch. And the log workgroup,
 * from baseline/athena/workgroup.ts as infra lays it: moto stores a workgroup's configuration as
 * given and returns it from GetWorkGroup, which is what athena-workgroup reads (it has no
 * UpdateWorkGroup, and its State is always ENABLED).
 */
import {
  CreateDatabaseCommand,
  CreateTableCommand,
  GetTableCommand,
  GlueClient,
  UpdateTableCommand,
} from "@aws-sdk/client-glue";
import { CreateWorkGroupCommand, AthenaClient } from "@aws-sdk/client-athena";
import type { AthenaManifest, TableSpec, WorkgroupSpec } from "../../baseline/athena";
import { cloudTrailTable, flowLogTable, workgroupSpec } from "../../baseline/athena";
import type { SandboxSession } from "./session";

/** infra's athena.bytesScannedCutoffGb default (infra/config-schema.ts), in bytes as infra/athena/wiring.ts lays it. */
const DEFAULT_BYTES_SCANNED_CUTOFF = 100 * 1024 ** 3;

/** The manifest's athena area for the sandbox. The CloudTrail table projects the governed regions (infra: every commercial region, from @pulumi/aws, which the agent does not load). */
export function sandboxAthena(i: {
  stack: string;
  orgId: string;
  governedRegions: string[];
  archiveBucketName: string;
  flowLogBucketName: string;
  managementAccountId: string;
  securityAccountId: string;
  resultsKeyArn: string;
}): AthenaManifest & { workgroup: WorkgroupSpec } {
  const workgroupName = `orgwarden-${i.stack}-logs`;
  return {
    databaseName: `orgwarden_${i.stack}_logs`,
    workgroupName,
    tables: [
      cloudTrailTable({ archiveBucketName: i.archiveBucketName, orgId: i.orgId, regions: i.governedRegions }),
      flowLogTable({ flowLogBucketName: i.flowLogBucketName, regions: i.governedRegions }),
    ],
    workgroup: workgroupSpec({
      name: workgroupName,
      // infra's athenaResultsBucketName with the default prefix; moto does not need the bucket to hold the workgroup.
      resultsBucketName: `orgwarden-${i.stack}-query-results-${i.managementAccountId}`,
      resultsKeyArn: i.resultsKeyArn,
      securityAccountId: i.securityAccountId,
      bytesScannedCutoffPerQuery: DEFAULT_BYTES_SCANNED_CUTOFF,
    }),
  };
}

/** The log workgroup, every setting from its spec as infra/athena/log-analytics.ts lays it. */
export async function seedAthenaWorkgroup(
  session: SandboxSession,
  account: string,
  region: string,
  w: WorkgroupSpec,
): Promise<void> {
  const athena = await session.client(AthenaClient, account, region);
  await athena.send(
    new CreateWorkGroupCommand({
      Name: w.name,
      Description: w.description,
      Configuration: {
        EnforceWorkGroupConfiguration: w.enforced,
        PublishCloudWatchMetricsEnabled: w.publishMetrics,
        BytesScannedCutoffPerQuery: w.bytesScannedCutoff,
        ResultConfiguration: {
          OutputLocation: w.resultsLocation,
          EncryptionConfiguration: { EncryptionOption: w.encryption.option, KmsKey: w.encryption.kmsKeyArn },
          ExpectedBucketOwner: w.expectedBucketOwner,
        },
      },
    }),
  );
  session.inventory.lay("aws:athena/workgroup:Workgroup", "athena-workgroup");
}

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

export async function seedAthenaCatalog(
  session: SandboxSession,
  account: string,
  region: string,
  athena: AthenaManifest,
): Promise<void> {
  const glue = await session.client(GlueClient, account, region);
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: athena.databaseName } }));
  session.inventory.lay("aws:glue/catalogDatabase:CatalogDatabase", "athena-database");
  for (const t of athena.tables) {
    await glue.send(new CreateTableCommand({ DatabaseName: athena.databaseName, TableInput: tableInput(t) }));
    session.inventory.lay("aws:glue/catalogTable:CatalogTable", "athena-table-*");
  }
}

/** The CloudTrail table pointed at another bucket: every query then reads nothing, silently. */
export async function moveCloudTrailTable(
  session: SandboxSession,
  account: string,
  region: string,
  athena: AthenaManifest,
): Promise<void> {
  const glue = await session.client(GlueClient, account, region);
  const want = athena.tables[0];
  const live = (await glue.send(new GetTableCommand({ DatabaseName: athena.databaseName, Name: want.name }))).Table;
  if (!live) throw new Error(`moveCloudTrailTable: ${athena.databaseName}.${want.name} is not seeded`);
  await glue.send(
    new UpdateTableCommand({
      DatabaseName: athena.databaseName,
      TableInput: {
        ...tableInput(want),
        StorageDescriptor: { ...tableInput(want).StorageDescriptor, Location: "s3://elsewhere/AWSLogs/" },
      },
    }),
  );
}

/**
 * Glue and Athena (security account, home region): the Athena log database and its tables, as
 * athena-catalog compares them, and the log workgroup, as athena-workgroup does.
 */
import { GetWorkGroupCommand, type AthenaClient, type WorkGroup } from "@aws-sdk/client-athena";
import { GetDatabaseCommand, paginateGetTables, type GlueClient, type Table } from "@aws-sdk/client-glue";
import {
  collected,
  failed,
  type CollectError,
  type ObservedAthenaCatalog,
  type ObservedAthenaWorkgroup,
  type ObservedAthenaWorkgroupSettings,
  type ObservedGlueTable,
} from "../model";
import { attempt, type CallScope } from "./common";

const NOT_FOUND = "EntityNotFoundException";

function tableOf(t: Table): ObservedGlueTable {
  const sd = t.StorageDescriptor;
  const cols = (cs: { Name?: string; Type?: string }[] | undefined) =>
    (cs ?? []).map((c) => ({ name: c.Name ?? "", type: c.Type ?? "" }));
  return {
    name: t.Name ?? "",
    ...(sd?.Location !== undefined ? { location: sd.Location } : {}),
    ...(sd?.InputFormat !== undefined ? { inputFormat: sd.InputFormat } : {}),
    ...(sd?.OutputFormat !== undefined ? { outputFormat: sd.OutputFormat } : {}),
    ...(sd?.SerdeInfo?.SerializationLibrary !== undefined
      ? { serializationLibrary: sd.SerdeInfo.SerializationLibrary }
      : {}),
    parameters: { ...(t.Parameters ?? {}) },
    columns: cols(sd?.Columns),
    partitionKeys: cols(t.PartitionKeys),
  };
}

export async function collectAthenaCatalog(
  glue: GlueClient,
  account: string,
  region: string,
  databaseName: string,
): Promise<ObservedAthenaCatalog> {
  const scope = (operation: string): CallScope => ({ service: "glue", operation, account, region });
  const exists = await attempt(scope("GetDatabase"), async () => {
    try {
      await glue.send(new GetDatabaseCommand({ Name: databaseName }));
      return true;
    } catch (e) {
      if (e instanceof Error && e.name === NOT_FOUND) return false;
      throw e;
    }
  });
  if (!exists.ok) return { databaseName, databaseExists: exists, tables: failed(exists.error) };
  if (!exists.value) return { databaseName, databaseExists: exists, tables: collected([]) };
  const tables = await attempt(scope("GetTables"), async () => {
    const out: ObservedGlueTable[] = [];
    for await (const page of paginateGetTables({ client: glue }, { DatabaseName: databaseName }))
      out.push(...(page.TableList ?? []).map(tableOf));
    return out;
  });
  return { databaseName, databaseExists: exists, tables };
}

/** Every piece failed with the same error (account not entered, task timed out). */
export function unreadableAthenaCatalog(databaseName: string, e: CollectError): ObservedAthenaCatalog {
  return { databaseName, databaseExists: failed(e), tables: failed(e) };
}

/**
 * AWS answers GetWorkGroup for a missing workgroup with InvalidRequestException "WorkGroup is not
 * found." (the same error name covers malformed requests, hence the message); moto answers 200 with
 * a null WorkGroup.
 */
const isMissingWorkgroup = (e: unknown) =>
  e instanceof Error && e.name === "InvalidRequestException" && /workgroup\b.*\bis not found/i.test(e.message);

function settingsOf(w: WorkGroup): ObservedAthenaWorkgroupSettings {
  const c = w.Configuration;
  const r = c?.ResultConfiguration;
  const enc = r?.EncryptionConfiguration;
  const some = <K extends string, V>(k: K, v: V | undefined) => (v !== undefined ? ({ [k]: v } as Record<K, V>) : {});
  return {
    ...some("state", w.State),
    ...some("enforced", c?.EnforceWorkGroupConfiguration),
    ...some("publishMetrics", c?.PublishCloudWatchMetricsEnabled),
    ...some("bytesScannedCutoff", c?.BytesScannedCutoffPerQuery),
    ...some("resultsLocation", r?.OutputLocation),
    ...some("encryptionOption", enc?.EncryptionOption),
    ...some("kmsKey", enc?.KmsKey),
    ...some("expectedBucketOwner", r?.ExpectedBucketOwner),
  };
}

export async function collectAthenaWorkgroup(
  athena: AthenaClient,
  account: string,
  region: string,
  name: string,
): Promise<ObservedAthenaWorkgroup> {
  const workgroup = await attempt({ service: "athena", operation: "GetWorkGroup", account, region }, async () => {
    try {
      const w = (await athena.send(new GetWorkGroupCommand({ WorkGroup: name }))).WorkGroup;
      return w ? settingsOf(w) : undefined;
    } catch (e) {
      if (isMissingWorkgroup(e)) return undefined;
      throw e;
    }
  });
  return { name, workgroup };
}

export function unreadableAthenaWorkgroup(name: string, e: CollectError): ObservedAthenaWorkgroup {
  return { name, workgroup: failed(e) };
}

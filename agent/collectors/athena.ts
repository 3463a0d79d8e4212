/** Glue (security account, home region): the Athena log database and its tables, as athena-catalog compares them. */
import { GetDatabaseCommand, paginateGetTables, type GlueClient, type Table } from "@aws-sdk/client-glue";
import { collected, failed, type CollectError, type ObservedAthenaCatalog, type ObservedGlueTable } from "../model";
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

/** The shared collection's Athena hooks (agent/collectors/index.ts stays a few lines): the catalogue and the workgroup, when the manifest has an athena area. */
import { AthenaClient } from "@aws-sdk/client-athena";
import { GlueClient } from "@aws-sdk/client-glue";
import type { AuditManifest } from "../../baseline";
import type { ObservedAthenaCatalog, ObservedAthenaWorkgroup } from "../model";
import {
  collectAthenaCatalog,
  collectAthenaWorkgroup,
  unreadableAthenaCatalog,
  unreadableAthenaWorkgroup,
} from "./athena";
import type { CollectRuntime, Task } from "./index";

export function athenaCatalogTask(
  m: AuditManifest,
  rt: CollectRuntime,
  clients: CollectRuntime["clients"],
  exec: <T>(t: Task<T>) => Promise<T>,
): Promise<ObservedAthenaCatalog | undefined> {
  const athena = m.athena;
  if (!athena) return Promise.resolve(undefined);
  rt.progress?.add(1);
  const security = m.organization.securityAccountId;
  const home = m.regions.home;
  return exec({
    account: security,
    region: home,
    service: "glue",
    run: () => collectAthenaCatalog(clients.get(GlueClient, security, home), security, home, athena.databaseName),
    unreadable: (e) => unreadableAthenaCatalog(athena.databaseName, e),
  });
}

export function athenaWorkgroupTask(
  m: AuditManifest,
  rt: CollectRuntime,
  clients: CollectRuntime["clients"],
  exec: <T>(t: Task<T>) => Promise<T>,
): Promise<ObservedAthenaWorkgroup | undefined> {
  const athena = m.athena;
  if (!athena) return Promise.resolve(undefined);
  rt.progress?.add(1);
  const security = m.organization.securityAccountId;
  const home = m.regions.home;
  return exec({
    account: security,
    region: home,
    service: "athena",
    run: () => collectAthenaWorkgroup(clients.get(AthenaClient, security, home), security, home, athena.workgroupName),
    unreadable: (e) => unreadableAthenaWorkgroup(athena.workgroupName, e),
  });
}

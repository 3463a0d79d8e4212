/** The shared collection's Athena hook (agent/collectors/index.ts stays a few lines): the catalogue, when the manifest has one. */
import { GlueClient } from "@aws-sdk/client-glue";
import type { AuditManifest } from "../../baseline";
import type { ObservedAthenaCatalog } from "../model";
import { collectAthenaCatalog, unreadableAthenaCatalog } from "./athena";
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

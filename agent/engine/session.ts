/**
 * The AWS side of one step: the starting credentials, the read role into every account and the
 * clients with their shared pacer. The CLI opens one for its whole in-process run; each Lambda step
 * opens its own.
 */
import type { AuditManifest } from "../../baseline";
import { ClientFactory, type ClientSettings } from "../aws/clients";
import { AuditCredentials, startingCredentialsName } from "../aws/credentials";
import type { CollectRuntime } from "../collectors";
import { DEFAULTS, type AuditOptions } from "../options";

export type SessionOptions = Pick<
  AuditOptions,
  | "profile"
  | "credentials"
  | "startingCredentialsName"
  | "assumeReadRoleEverywhere"
  | "concurrency"
  | "endpointUrl"
  | "maxAttempts"
  | "retryDelayScale"
  | "requestTimeoutMs"
  | "taskTimeoutMs"
>;

export interface Session {
  runtime: CollectRuntime;
  close(): void;
}

/** Opens the session and proves the starting identity (a missing or rejected one throws AuditConfigError). */
export async function openSession(
  manifest: AuditManifest,
  o: SessionOptions,
  progress?: CollectRuntime["progress"],
): Promise<Session> {
  const concurrency = o.concurrency ?? DEFAULTS.concurrency;
  const settings: ClientSettings = {
    endpointUrl: o.endpointUrl,
    maxAttempts: o.maxAttempts ?? DEFAULTS.maxAttempts,
    requestTimeoutMs: o.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    connectionTimeoutMs: DEFAULTS.connectionTimeoutMs,
    retryDelayScale: o.retryDelayScale,
    concurrency,
  };
  const creds = new AuditCredentials(
    {
      profile: o.profile,
      credentials: o.credentials,
      assumeReadRoleEverywhere: o.assumeReadRoleEverywhere,
      readRoleName: manifest.audit.readRoleName,
      externalId: manifest.audit.externalId,
      stsRegion: manifest.regions.home,
    },
    settings,
  );
  const clients = new ClientFactory(settings, creds);
  const close = () => {
    clients.destroy();
    creds.destroy();
  };
  try {
    await creds.requireStartingIdentity(startingCredentialsName(o));
  } catch (err) {
    close();
    throw err;
  }
  return {
    runtime: { clients, creds, concurrency, taskTimeoutMs: o.taskTimeoutMs ?? DEFAULTS.taskTimeoutMs, progress },
    close,
  };
}

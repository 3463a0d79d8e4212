/** Clients for collector tests: the agent's own factory and credentials, pointed at the worker's moto server. */
import { ClientFactory, type ClientSettings, type SdkClient } from "../../../agent/aws/clients";
import { AuditCredentials } from "../../../agent/aws/credentials";
import { FAST_RETRY_SCALE, MOTO_CREDENTIALS } from "../../helpers/moto";

/** Moto maps any unknown static key to its default account. */
export const MOTO_DEFAULT_ACCOUNT = "123456789012";
export const REGION = "us-east-1";

export function motoSettings(endpoint: string): ClientSettings {
  return {
    endpointUrl: endpoint,
    maxAttempts: 2,
    requestTimeoutMs: 10_000,
    connectionTimeoutMs: 2_000,
    retryDelayScale: FAST_RETRY_SCALE,
  };
}

export function agentClients(endpoint: string, readRoleName = "orgwarden-audit-read") {
  const settings = motoSettings(endpoint);
  const creds = new AuditCredentials(
    { credentials: { ...MOTO_CREDENTIALS }, readRoleName, stsRegion: REGION },
    settings,
  );
  const clients = new ClientFactory(settings, creds);
  return {
    creds,
    clients,
    /** The factory's client for account × region, after entering the account the way runAudit does. */
    async get<C extends SdkClient>(Ctor: new (config: any) => C, account: string, region = REGION): Promise<C> {
      const entered = await creds.enter(account);
      if (!entered.ok) throw new Error(`could not enter ${account}: ${entered.error.name}`);
      return clients.get(Ctor, account, region);
    },
    destroy() {
      clients.destroy();
      creds.destroy();
    },
  };
}

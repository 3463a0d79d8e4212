import * as pulumi from "@pulumi/pulumi";
import type { AccountKey } from "../providers";

/** What the detection components need from infra/providers.ts: a provider per account × region. */
export interface RegionalProviders {
  forRegion(account: AccountKey, region: string): pulumi.ProviderResource;
}

/** Components that span accounts take the provider factory as an argument and refuse to run without it. */
export function requireProviders(
  type: string,
  name: string,
  providers: RegionalProviders | undefined,
): RegionalProviders {
  if (!providers || typeof providers.forRegion !== "function") {
    throw new Error(
      `${type} "${name}" needs args.providers: the per-account, per-region provider factory (AccountProviders of infra/providers.ts)`,
    );
  }
  return providers;
}

/** Home region first: IAM roles live in the home region's stack and the other regions refer to them. */
export function homeFirst(homeRegion: string, regions: string[]): string[] {
  if (!regions.includes(homeRegion))
    throw new Error(`governed regions ${JSON.stringify(regions)} must include the home region ${homeRegion}`);
  return [homeRegion, ...regions.filter((r) => r !== homeRegion)];
}

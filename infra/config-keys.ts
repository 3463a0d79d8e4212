/**
 * The key table of the foundation section: every key, its Pulumi.yaml type, default and meaning,
 * read off the schema (infra/config-schema.ts). Pulumi.yaml's `config:` block and docs/infra.md's
 * table are generated from it (scripts/config-artefacts.ts) and a test keeps them equal. Keys are
 * flat with dotted group names because Pulumi.yaml config declarations only know string, integer,
 * boolean and array.
 */
import { ConfigKeySpec, keyTable } from "./config-field";
import { FOUNDATION_SCHEMA } from "./config-schema";

export { PROJECT } from "./config-field";
export type { ConfigKeySpec, ConfigKeyType } from "./config-field";
export { DEFAULT_DEPLOY_ROLE } from "./config-schema";

export const CONFIG_KEYS: ConfigKeySpec[] = keyTable(FOUNDATION_SCHEMA);

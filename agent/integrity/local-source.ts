/**
 * A copy of the archive on disk (forensic mode): `<dir>/<key>` for every object, and beside each
 * digest `<key>.meta.json` holding the S3 metadata a plain copy loses
 * ({"signature": "<hex>", "signature-algorithm": "SHA256withRSA"}). The public keys come from a
 * file in the shape of a ListPublicKeys response.
 */
import { createReadStream, type Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { PublicKeyEntry } from "./keys";
import { SourceReadError, type DigestObject, type Fetched, type IntegritySource, type ObjectRef } from "./source";

export const META_SUFFIX = ".meta.json";

const isNotFound = (err: unknown) => ["ENOENT", "ENOTDIR"].includes((err as NodeJS.ErrnoException).code ?? "");

function readError(err: unknown, operation: string, target: string): SourceReadError {
  const e = err as NodeJS.ErrnoException;
  return new SourceReadError(e.code ?? e.name, operation, target, e.message);
}

export class LocalSource implements IntegritySource {
  constructor(
    private readonly dir: string,
    readonly bucket: string,
    private readonly keys: PublicKeyEntry[],
  ) {}

  async *listKeys(prefix: string): AsyncIterable<string> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, prefix));
    } catch (err) {
      if (isNotFound(err)) return;
      throw readError(err, "list", join(this.dir, prefix));
    }
    for (const n of names.sort()) if (!n.endsWith(META_SUFFIX)) yield `${prefix}${n}`;
  }

  async *listFolders(prefix: string): AsyncIterable<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(this.dir, prefix), { withFileTypes: true });
    } catch (err) {
      if (isNotFound(err)) return;
      throw readError(err, "list", join(this.dir, prefix));
    }
    for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) yield e.name;
  }

  async getDigest(ref: ObjectRef): Promise<Fetched<DigestObject>> {
    const path = join(this.dir, ref.key);
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch (err) {
      if (isNotFound(err)) return { found: false };
      throw readError(err, "read", path);
    }
    return { found: true, value: { body, metadata: await this.metadata(`${path}${META_SUFFIX}`) } };
  }

  /** Absent metadata reads as none, which fails the signature check as a digest without x-amz-meta-signature does. */
  private async metadata(path: string): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if (isNotFound(err)) return {};
      throw readError(err, "read", path);
    }
    try {
      const m = JSON.parse(text) as unknown;
      return typeof m === "object" && m !== null
        ? Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === "string"))
        : {};
    } catch (err) {
      if (err instanceof SyntaxError) return {};
      throw err;
    }
  }

  async openLog(ref: ObjectRef): Promise<Fetched<Readable>> {
    const path = join(this.dir, ref.key);
    try {
      if (!(await stat(path)).isFile()) return { found: false };
    } catch (err) {
      if (isNotFound(err)) return { found: false };
      throw readError(err, "stat", path);
    }
    return { found: true, value: createReadStream(path, { highWaterMark: 256 * 1024 }) };
  }

  /** One ListPublicKeys response for every region: a copy holds the keys of the regions it was taken from. */
  publicKeys(): Promise<PublicKeyEntry[]> {
    return Promise.resolve(this.keys);
  }
}

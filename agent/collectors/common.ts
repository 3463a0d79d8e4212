/**
 * What every collector shares: turning a failed SDK call into a CollectError that carries the AWS
 * error name and the scope, so a read that failed can never look like "nothing there".
 */
import { collected, failed, type Collected, type CollectError } from "../model";

export interface CallScope {
  service: string;
  operation: string;
  account: string;
  region: string;
}

/** AWS SDK v3 errors are told apart by `name` (the service's error code); anything else keeps its JS name. */
export function toCollectError(err: unknown, scope: CallScope): CollectError {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (err instanceof SyntaxError && status !== undefined) {
    // The SDK could not parse the body (an HTML error page, an emulator's "not implemented"): say so, not "SyntaxError".
    return { ...scope, name: "UnparseableResponse", message: `HTTP ${status} with a body that is not a ${scope.service} response (${err.message.split("\n")[0]})` };
  }
  if (err instanceof Error) {
    const name = err.name && err.name !== "Error" ? err.name : "UnknownError";
    return { ...scope, name, message: err.message || name };
  }
  return { ...scope, name: "UnknownError", message: String(err) };
}

/** Runs one read; a thrown error becomes `failed(...)` with the call's scope. */
export async function attempt<T>(scope: CallScope, read: () => Promise<T>): Promise<Collected<T>> {
  try {
    return collected(await read());
  } catch (err) {
    return failed(toCollectError(err, scope));
  }
}

/** Like attempt(), but named "not configured" errors mean the thing is absent rather than unreadable. */
export async function attemptOrAbsent<T>(scope: CallScope, absentErrorNames: string[], read: () => Promise<T>): Promise<Collected<T | undefined>> {
  try {
    return collected(await read());
  } catch (err) {
    if (err instanceof Error && absentErrorNames.includes(err.name)) return collected(undefined);
    return failed(toCollectError(err, scope));
  }
}

/** Drains an SDK paginator into one array. */
export async function drain<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

export const iso = (d: Date | undefined): string | undefined => (d ? d.toISOString() : undefined);

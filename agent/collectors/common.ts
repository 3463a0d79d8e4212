/**
 * What every collector shares: turning a failed SDK call into a CollectError that carries the AWS
 * error name and the scope, so a read that failed can never look like "nothing there".
 */
import { classifyError } from "../aws/error-kind";
import { collected, failed, type Collected, type CollectError } from "../model";

export interface CallScope {
  service: string;
  operation: string;
  account: string;
  region: string;
}

/**
 * AWS SDK v3 errors are told apart by `name` (the service's error code); a network error the SDK
 * passes on from Node is named by its code (ECONNRESET); anything else keeps its JS name. The kind
 * and the SDK's attempt count say what failed and how hard the SDK tried.
 */
export function toCollectError(err: unknown, scope: CallScope): CollectError {
  const c = classifyError(err);
  if (err instanceof SyntaxError && c.httpStatus !== undefined) {
    // The SDK could not parse the body (an HTML error page, an emulator's "not implemented"): say so, not "SyntaxError".
    const message = `HTTP ${c.httpStatus} with a body that is not a ${scope.service} response (${err.message.split("\n")[0]})`;
    return {
      ...scope,
      name: "UnparseableResponse",
      message,
      ...c,
      kind: c.httpStatus >= 500 ? "server-error" : "other",
    };
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const hasCode = typeof code === "string" && code !== "";
    // A reset socket reaches us named TimeoutError by the SDK; its Node code says what happened.
    const name =
      c.kind === "network" && hasCode
        ? code
        : err.name && err.name !== "Error"
          ? err.name
          : hasCode
            ? code
            : "UnknownError";
    return { ...scope, name, message: err.message || name, ...c };
  }
  return { ...scope, name: "UnknownError", message: String(err), kind: "other" };
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
export async function attemptOrAbsent<T>(
  scope: CallScope,
  absentErrorNames: string[],
  read: () => Promise<T>,
): Promise<Collected<T | undefined>> {
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

/**
 * Keeps the error code a server sent even when its error body is in another wire format than the
 * client expects (an XML <Error><Code> answer to a JSON-protocol call, as proxies and emulators
 * send for authorization failures). Without this the SDK throws a bare SyntaxError and the report
 * could only say "unparseable", not "AccessDenied".
 */
const BODY = Symbol("orgwarden.errorBody");
type Ctx = { [BODY]?: string };
/** The part of an SDK client's middleware stack used here (typed loosely: the smithy types are not a direct dependency). */
interface Stack {
  add(middleware: any, options: any): void;
}

interface RawResponse {
  statusCode?: number;
  body?: unknown;
}

async function readAll(body: unknown): Promise<Uint8Array | undefined> {
  if (body instanceof Uint8Array) return body;
  if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function") return undefined;
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Buffer | string>)
    chunks.push(typeof c === "string" ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks);
}

/** The code and message of an error body in XML (<Code>) or JSON (__type / code) form. */
export function errorFromBody(text: string): { code: string; message: string } | undefined {
  const xml = /<Code>([^<]+)<\/Code>/.exec(text);
  if (xml) return { code: xml[1].trim(), message: (/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? "").trim() };
  try {
    const j = JSON.parse(text) as { __type?: string; code?: string; message?: string; Message?: string };
    const code = (j.__type ?? j.code)?.split("#").pop();
    if (code) return { code, message: j.message ?? j.Message ?? "" };
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  return undefined;
}

/** Adds the two middlewares to a client's stack. */
export function keepErrorCodes(stack: Stack): void {
  // Inner (next to the HTTP handler): buffer an error response's body, keep a copy, hand the bytes on.
  stack.add(
    (next: any, context: Ctx) => async (args: any) => {
      const out = await next(args);
      const response = out.response as RawResponse;
      if ((response.statusCode ?? 200) >= 400) {
        const bytes = await readAll(response.body);
        if (bytes) {
          response.body = bytes;
          context[BODY] = Buffer.from(bytes).toString("utf8");
        }
      }
      return out;
    },
    { step: "deserialize", priority: "low", name: "orgwardenCaptureErrorBody" },
  );
  // Outer: a body the deserializer could not parse, but that names an error code, becomes that error.
  stack.add(
    (next: any, context: Ctx) => async (args: any) => {
      try {
        return await next(args);
      } catch (err) {
        const text = context[BODY];
        const parsed = err instanceof SyntaxError && text ? errorFromBody(text) : undefined;
        if (!parsed) throw err;
        throw Object.assign(new Error(parsed.message || parsed.code), {
          name: parsed.code,
          $metadata: (err as { $metadata?: unknown }).$metadata,
        });
      }
    },
    { step: "initialize", priority: "high", name: "orgwardenNameErrorFromBody" },
  );
}

/**
 * Mocks that reproduce a first `pulumi preview` of a stack that does not exist yet: every
 * resource's id and every computed output (ARNs, organization roots, …) is unknown, and only the
 * inputs echo back. Whatever a program derives from those outputs is unknown too, so the
 * policies meet the unknowns they will meet on a real first preview.
 */
import type { MockCallArgs, MockCallResult, MockResourceArgs, MockResourceResult, Mocks } from "@pulumi/pulumi/runtime";
import { AwsMocks } from "./aws-mocks";

export class FirstPreviewMocks implements Mocks {
  readonly unmockedCalls: string[] = [];
  /** Invokes (getCallerIdentity, getRegion, …) still answer: they read existing state, not the new stack's. */
  private readonly calls = new AwsMocks();

  newResource(args: MockResourceArgs): MockResourceResult {
    // An empty id is unknown during a preview; outputs missing from state are unknown too.
    return { id: undefined as unknown as string, state: { ...(args.inputs ?? {}) } };
  }

  call(args: MockCallArgs): MockCallResult {
    const r = this.calls.call(args);
    this.unmockedCalls.push(...this.calls.unmockedCalls.splice(0));
    return r;
  }
}

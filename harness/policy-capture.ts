/**
 * Records each registration's property dependencies (which resources each input came from),
 * which the engine passes to stack policies and run-program does not capture. Installed on the
 * mock monitor's prototype, so it sees every run-program registration without changing it.
 */
const byUrn = new Map<string, Record<string, string[]>>();
let installed = false;

export function installPropertyDependencyCapture(): void {
  if (installed) return;
  installed = true;
  const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
  const original = MockMonitor.prototype.registerResource;
  MockMonitor.prototype.registerResource = function (req: any, callback: (err: any, resp: any) => void) {
    const deps: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v: any, k: string) => {
      deps[k] = v.getUrnsList();
    });
    return original.call(this, req, (err: any, resp: any) => {
      if (!err && resp) byUrn.set(resp.getUrn(), deps);
      callback(err, resp);
    });
  };
}

export function propertyDependenciesOf(urn: string): Record<string, string[]> {
  return byUrn.get(urn) ?? {};
}

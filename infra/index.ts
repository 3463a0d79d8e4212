// Pulumi's nodejs runtime calls an exported function and uses its result as the stack outputs;
// the offline harness does the same. Nothing else runs at load time.
import { main } from "./program";
export = main;

export * from "./policies";
export * from "./queries";
export * from "./tables";
export * from "./workgroup";

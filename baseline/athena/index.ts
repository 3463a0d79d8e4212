export * from "./policies";
export * from "./queries";
export * from "./tables";

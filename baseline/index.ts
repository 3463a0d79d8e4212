export * from "./policy-types";
export * from "./arns";
export * from "./scp";
export * from "./bucket-policies";
export * from "./key-policy";
export * from "./trail-role";
export * from "./manifest";
export * from "./policy-compare";

/**
 * How the pack's rules turn Pulumi props into the controls' facts: an UNKNOWN marker (a value
 * the engine fills in later) becomes an unknown fact, an unset prop an absent one.
 */
import { ABSENT, type Fact, known, UNKNOWN as UNKNOWN_FACT } from "../controls";
import { isUnknown } from "./values";

export function propFact<T>(v: unknown, is: (x: unknown) => x is T): Fact<T> {
  if (isUnknown(v)) return UNKNOWN_FACT;
  if (v === undefined || v === null) return ABSENT;
  return is(v) ? known(v) : ABSENT;
}

export const isString = (x: unknown): x is string => typeof x === "string";
export const isNumber = (x: unknown): x is number => typeof x === "number";

/** A flag as the provider reads it: anything but `true` is off. */
export function flagFact(v: unknown): Fact<boolean> {
  if (isUnknown(v)) return UNKNOWN_FACT;
  if (v === undefined || v === null) return ABSENT;
  return known(v === true);
}

export const stringFact = (v: unknown) => propFact(v, isString);
export const numberFact = (v: unknown) => propFact(v, isNumber);

// Typed field paths. A rule author writes `pod.spec.securityContext.seccompProfile.type`; the
// TypeScript compiler checks every field name against the Kubernetes types (so `hostIPc` fails
// `tsc`), and at run time a Proxy records the segments into a PathValue.

import type { PathValue, Scope } from "./expr.ts";

declare const valueType: unique symbol;
const PATH = Symbol("policypack.path");

/** The fields of T, each itself a Path; arrays and scalars have no fields to walk into. */
type Fields<T> = T extends readonly unknown[]
  ? unknown
  : T extends string | number | boolean
    ? unknown
    : T extends object
      ? { readonly [K in keyof T]-?: Path<T[K]> }
      : unknown;

/**
 * A path to a value of type T (T includes `undefined` when the field is optional). Only the
 * model's builders read it; authors just walk fields.
 */
export type Path<T> = { readonly [PATH]: PathValue; readonly [valueType]?: T } & Fields<NonNullable<T>>;

/** The element type of an array-typed path. */
export type ElementOf<T> = NonNullable<T> extends ReadonlyArray<infer E> ? E : never;

export function pathProxy<T>(scope: Scope, segments: string[] = []): Path<T> {
  const value: PathValue = { op: "path", scope, segments };
  return new Proxy({} as Path<T>, {
    get(_target, key) {
      if (key === PATH) return value;
      if (typeof key !== "string") return undefined;
      return pathProxy(scope, [...segments, key]);
    },
  });
}

export function isPath(value: unknown): value is Path<unknown> {
  return typeof value === "object" && value !== null && (value as { [PATH]?: unknown })[PATH] !== undefined;
}

export function pathValue(path: Path<unknown>): PathValue {
  return path[PATH];
}

// @ts-nocheck -- AssemblyScript, compiled by loader.ts with asc; not TypeScript.
// Test entry for src/compiler/runtime/assembly/lib: every export takes and
// returns numbers or strings so the JS side can table-test the library.

import { regexCompile, regexPrecompile } from "../../../src/compiler/runtime/assembly/lib/regex";
import { globMatch as libGlobMatch } from "../../../src/compiler/runtime/assembly/lib/glob";
import { unitsParse, unitsParseBytes } from "../../../src/compiler/runtime/assembly/lib/units";
import * as str from "../../../src/compiler/runtime/assembly/lib/strings";

/** "true", "false" or "error: <message>". */
export function regexMatch(pattern: string, s: string): string {
  const compiled = regexCompile(pattern);
  const re = compiled.regex;
  if (re === null) return "error: " + compiled.error;
  return re.matches(s) ? "true" : "false";
}

/**
 * As the policy runtime matches a constant pattern: compiled once with its DFA, run on the UTF-8
 * bytes. "true", "false", "no dfa" where the NFA would answer instead, or "error: <message>".
 */
export function regexMatchDfa(pattern: string, s: string): string {
  const compiled = regexPrecompile(pattern);
  const re = compiled.regex;
  if (re === null) return "error: " + compiled.error;
  const utf8 = String.UTF8.encode(s);
  const result = re.matchesAscii(changetype<usize>(utf8), <usize>utf8.byteLength);
  return result < 0 ? "no dfa" : result == 1 ? "true" : "false";
}

/** `delimiters`: "\u0000" for null, else the delimiters joined by "\u0001" ("" for []). */
export function globMatch(pattern: string, delimiters: string, s: string): string {
  let list: Array<string> | null = null;
  if (delimiters != "\u0000") list = delimiters.length == 0 ? new Array<string>() : delimiters.split("\u0001");
  const result = libGlobMatch(pattern, list, s);
  if (result.error.length > 0) return "error: " + result.error;
  return result.matched ? "true" : "false";
}

export function unitsParseValue(s: string): string {
  return unitsParse(s).text;
}

export function unitsParseError(s: string): string {
  return unitsParse(s).error;
}

export function unitsParseBytesValue(s: string): string {
  return unitsParseBytes(s).text;
}

export function unitsParseBytesError(s: string): string {
  return unitsParseBytes(s).error;
}

export function countCodePoints(s: string): i32 {
  return str.countCodePoints(s);
}

export function indexOfCodePoints(s: string, search: string): i32 {
  return str.indexOfCodePoints(s, search);
}

export function substringCodePoints(s: string, start: i32, length: i32): string {
  return str.substringCodePoints(s, start, length);
}

export function trimChars(s: string, cutset: string): string {
  return str.trimChars(s, cutset);
}

export function trimLeft(s: string, cutset: string): string {
  return str.trimLeft(s, cutset);
}

export function trimRight(s: string, cutset: string): string {
  return str.trimRight(s, cutset);
}

export function trimPrefix(s: string, prefix: string): string {
  return str.trimPrefix(s, prefix);
}

export function trimSuffix(s: string, suffix: string): string {
  return str.trimSuffix(s, suffix);
}

export function trimSpace(s: string): string {
  return str.trimSpace(s);
}

/** "<count>|" followed by the parts joined by "\u0000". */
export function splitString(s: string, separator: string): string {
  const parts = str.splitString(s, separator);
  return parts.length.toString() + "|" + parts.join("\u0000");
}

export function replaceAll(s: string, old: string, replacement: string): string {
  return str.replaceAll(s, old, replacement);
}

export function lowerCase(s: string): string {
  return str.lowerCase(s);
}

export function upperCase(s: string): string {
  return str.upperCase(s);
}

export function formatInt(n: f64, base: i32): string {
  return str.formatInt(n, base);
}

export function parseNumberValue(s: string): f64 {
  return str.parseNumber(s).value;
}

export function parseNumberError(s: string): string {
  return str.parseNumber(s).error;
}

export function compareCodePoints(a: string, b: string): i32 {
  return str.compareCodePoints(a, b);
}

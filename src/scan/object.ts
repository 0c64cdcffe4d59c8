// How a scan names the object a finding is about.

import { objectName } from "../engines/request.ts";
import type { Json } from "../model/index.ts";
import type { ResourceRef } from "./types.ts";

export function resourceRef(object: { [key: string]: Json }): ResourceRef {
  return { apiVersion: String(object.apiVersion), kind: String(object.kind), ...objectName(object) };
}

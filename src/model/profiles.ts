// Allow-lists of AppArmor and seccomp profiles, as gatekeeper-library's apparmor and seccompv2
// templates take them: profiles named in either scheme, the securityContext field's
// (RuntimeDefault, Unconfined, Localhost) or the annotations' (runtime/default, unconfined,
// localhost/<profile>), and the Localhost profile files a `Localhost` entry allows.

import type { Condition } from "./expr.ts";
import { type Param, and, equals, filtered, isIn, matchesPattern, or, present, toValue } from "./dsl.ts";
import { paramItems } from "./param-items.ts";
import { concat } from "./concat.ts";
import type { Path } from "./path.ts";
import type { ParamSpec } from "./rule.ts";

/** The parameters a profile rule reads. */
export interface ProfileParams {
  allowedProfiles: Param<string[]>;
  allowedLocalhostFiles: Param<string[]>;
}

/** A profile as securityContext sets it: seccompProfile or appArmorProfile. */
type ProfileField = Path<{ type?: string; localhostProfile?: string } | undefined>;

/** How each scheme names a profile type; RuntimeDefault has more than one annotation name in seccomp (docker/default). */
export interface ProfileNames {
  runtimeDefault: string[];
  unconfined: string[];
}

const LOCALHOST_PREFIX = "localhost/";

/** The parameter specs, with the defaults that keep a rule's own allow-list. */
export function profileParams(
  kind: string,
  defaults: { allowedProfiles: string[]; allowedLocalhostFiles: string[] },
): { allowedProfiles: ParamSpec<"string[]">; allowedLocalhostFiles: ParamSpec<"string[]"> } {
  return {
    allowedProfiles: {
      type: "string[]",
      description:
        `${kind} profiles a pod or container may set, in either naming: the securityContext field's (RuntimeDefault, Unconfined, Localhost) or the annotations' (runtime/default, unconfined, localhost/<profile>). ` +
        "An entry ending in * allows every profile starting with the text before it (localhost/* allows every Localhost profile; * allows every profile). " +
        "Localhost allows the Localhost profiles allowedLocalhostFiles lists.",
      default: defaults.allowedProfiles,
    },
    allowedLocalhostFiles: {
      type: "string[]",
      description:
        "The Localhost profiles an allowedProfiles entry Localhost allows, in the securityContext field (localhostProfile) and in an annotation (the <profile> of localhost/<profile>): exact names, or prefixes ending in * (* allows every one).",
      default: defaults.allowedLocalhostFiles,
    },
  };
}

/** A name of the field scheme or any of its annotation-scheme names is in allowedProfiles. */
function anyAllowed(names: string[], params: ProfileParams): Condition {
  return or(...names.map((name) => isIn<string>(name, params.allowedProfiles)));
}

/** The profile the securityContext field sets is allowed (false when it sets no type). */
export function fieldProfileAllowed(profile: ProfileField, names: ProfileNames, params: ProfileParams): Condition {
  return or(
    isIn<string>("*", params.allowedProfiles),
    and(equals(profile.type, "RuntimeDefault"), anyAllowed(["RuntimeDefault", ...names.runtimeDefault], params)),
    and(equals(profile.type, "Unconfined"), anyAllowed(["Unconfined", ...names.unconfined], params)),
    and(
      equals(profile.type, "Localhost"),
      or(
        // localhost/* and a * file allow a Localhost type whatever its localhostProfile, set or not.
        isIn<string>(`${LOCALHOST_PREFIX}*`, params.allowedProfiles),
        and(isIn<string>("Localhost", params.allowedProfiles), isIn<string>("*", params.allowedLocalhostFiles)),
        and(isIn<string>("Localhost", params.allowedProfiles), matchesPattern(profile.localhostProfile, params.allowedLocalhostFiles)),
        matchesPattern(concat(LOCALHOST_PREFIX, profile.localhostProfile), params.allowedProfiles),
      ),
    ),
  );
}

/** The profile an annotation value names is allowed. */
export function annotationProfileAllowed(value: Path<string | undefined>, names: ProfileNames, params: ProfileParams): Condition {
  return or(
    matchesPattern(value, params.allowedProfiles),
    and(isIn(value, names.runtimeDefault), isIn<string>("RuntimeDefault", params.allowedProfiles)),
    and(isIn(value, names.unconfined), isIn<string>("Unconfined", params.allowedProfiles)),
    and(isIn<string>("Localhost", params.allowedProfiles), annotationFileAllowed(value, params)),
  );
}

/**
 * The annotation value is localhost/<file> for a file allowedLocalhostFiles allows: each file
 * pattern as an annotation value is a pattern still (the same prefix before a trailing *).
 */
function annotationFileAllowed(value: Path<string | undefined>, params: ProfileParams): Condition {
  const patterns = filtered(paramItems(params.allowedLocalhostFiles, "file"), (file) => present(file), (file) => concat(LOCALHOST_PREFIX, file));
  return { op: "matchesPattern", value: toValue(value), patterns };
}

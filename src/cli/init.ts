// `policypack init`: starts a project in a folder with the files of templates/init/ (a config and
// an example rule with its fixtures), refusing to overwrite anything.

import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { CommandError } from "../errors.ts";
import { packageFile } from "../package-root.ts";

const TEMPLATE_DIR = packageFile("templates", "init");

/** Every file below `dir`, relative, sorted. */
function filesBelow(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesBelow(dir, join(prefix, entry.name)) : [join(prefix, entry.name)]))
    .sort();
}

/** Writes the starter files into `projectDir`; returns them, relative. Writes nothing if any exists. */
export function init(projectDir: string): string[] {
  const files = filesBelow(TEMPLATE_DIR);
  const existing = files.find((file) => existsSync(join(projectDir, file)));
  if (existing !== undefined) {
    throw new CommandError(`policypack init: ${join(projectDir, existing)} already exists; nothing was written`);
  }
  for (const file of files) {
    mkdirSync(dirname(join(projectDir, file)), { recursive: true });
    copyFileSync(join(TEMPLATE_DIR, file), join(projectDir, file));
  }
  return files;
}

// Run by write-tree.test.ts as a child process: runs each command line of the JSON argument in turn
// and prints, after each, whether the FFI package (loaded through require) has been loaded yet.
import { createRequire } from "node:module";
import { runCli } from "../../../src/cli/main.ts";

const quiet = { out: () => {}, err: (text: string) => process.stderr.write(text) };
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes("/node_modules/koffi/"));
for (const argv of JSON.parse(process.argv[2]!) as string[][]) {
  const code = await runCli(argv, quiet);
  process.stdout.write(`${argv[0]} ${code} ${loaded()}\n`);
}

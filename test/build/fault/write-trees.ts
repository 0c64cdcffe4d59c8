// Run by write-tree.test.ts as a child process, so that POLICYPACK_FAULT can kill it at a chosen step
// of the write. Argument 1: the outputs (JSON); argument 2: "build" replaces them as a build does
// (writeOutputs), "renames" swaps each tree through the fallback two renames (swapByRenames).
import { stageTree, swapByRenames, writeOutputs } from "../../../src/generate/write-tree.ts";
import { type Outputs, treesOf } from "./trees.ts";

const outputs = JSON.parse(process.argv[2]!) as Outputs;
if (process.argv[3] === "renames") {
  for (const tree of treesOf(outputs.trees)) await swapByRenames(await stageTree(tree.dir, tree.files), tree.dir);
} else {
  await writeOutputs(treesOf(outputs.trees), outputs.files);
}

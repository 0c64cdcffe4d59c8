// Run by write-tree.test.ts as a child process: replaces the trees described by the JSON argument,
// so that POLICYPACK_FAULT can kill it at a chosen step of the write.
import { writeOutputs } from "../../../src/generate/write-tree.ts";
import { treesOf, type TreeSpec } from "./trees.ts";

writeOutputs(treesOf(JSON.parse(process.argv[2]!) as TreeSpec[]), []);

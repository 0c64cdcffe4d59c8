// `npm run bench`: each figure next to a baseline measured in the same run on the same machine,
// so the ratios mean something even where absolute times vary. Each section measures one thing
// and says in its file what it measures and against what. Needs out/ and the compiled form built
// (`npm run build`).
//
//   npm run bench [-- --runs N]   N: runs per figure of the start-up, build and compile sections (7; the scan sections take at most 3)

import { cpus, loadavg } from "node:os";
import { buildSection } from "./build.ts";
import { compileSection } from "./compile.ts";
import { evaluationSection, memorySection } from "./evaluate.ts";
import { type Section, report } from "./measure.ts";
import { scanEngineSection, scanSection } from "./scan.ts";
import { startupSection } from "./startup.ts";

const SECTIONS: Section[] = [startupSection, buildSection, compileSection, evaluationSection, memorySection, scanSection, scanEngineSection];

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 7;
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a positive integer");

console.log(
  `policypack bench: build and compile figures are the median of ${runs} runs after one warm-up; ` +
    `Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start\n`,
);
for (const section of SECTIONS) {
  const { rows, notes } = await section.run(runs);
  console.log(report(section, rows, notes));
}

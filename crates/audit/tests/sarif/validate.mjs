// Validates each SARIF file named on the command line against the SARIF 2.1.0 schema (the
// copy @microsoft/jest-sarif ships, with the Ajv it depends on). Prints every violation and
// exits 1 when there is one.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const Ajv = require(require.resolve("ajv", { paths: [schemaPath] }));
const draft4 = require(require.resolve("ajv/lib/refs/json-schema-draft-04.json", { paths: [schemaPath] }));

const ajv = new Ajv({ schemaId: "id", allErrors: true, jsonPointers: true });
ajv.addMetaSchema(draft4);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));

let failed = false;
for (const file of process.argv.slice(2)) {
  const log = JSON.parse(readFileSync(file, "utf8"));
  if (!validate(log)) {
    failed = true;
    for (const e of validate.errors) {
      console.error(`${file}: ${e.dataPath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
}
process.exit(failed ? 1 : 0);

// Generates models from an AsyncAPI document with Modelina (as a consumer's code generator
// would) and prints their names, one JSON array. Usage:
//   node tools/js/modelina-models.mjs path/to/asyncapi.yaml
import { readFileSync } from "node:fs";
import { TypeScriptGenerator } from "@asyncapi/modelina";

const document = readFileSync(process.argv[2], "utf8");
const generator = new TypeScriptGenerator({ modelType: "interface" });
const models = await generator.generate(document);
process.stdout.write(JSON.stringify(models.map((model) => model.modelName).sort()) + "\n");

// The tools module's entry, imported by index.js with a dynamic import() on the first call of
// createReport, jsonSchema, toCloudEvent or compat: bundlers put it, the module's glue and the
// reference to its .wasm in a chunk of their own, which a page that only validates never loads.
export { default as createMsgeventsToolsModule } from '../dist/msgevents_tools.mjs';

// Where the .wasm is in the package, for Node (browsers and bundlers let the glue find it).
export const toolsWasmUrl = () => new URL('../dist/msgevents_tools.wasm', import.meta.url);

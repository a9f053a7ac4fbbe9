// The tools module: JSON Schema, CloudEvents and the change-policy check, the exports a validating
// page never calls. They live in a WebAssembly module of their own (msgevents_tools.wasm, built
// from wasm/tools_bindings.cpp) that index.js loads with a dynamic import() the first time one of
// them is called, so that `import { createValidator } from 'msgevents'` downloads only the
// validator module; bundlers split this file, its glue and its .wasm into a chunk of their own.
//
// The calls follow the validator module's convention (wasm/boundary.hpp): strings go in as UTF-8
// bytes that TextEncoder wrote into the heap (a lone surrogate becomes U+FFFD, as everywhere in
// the package), one string comes back, "" on failure with the reason in lastError().
import createMsgeventsToolsModule from '../dist/msgevents_tools.mjs';

export { createMsgeventsToolsModule };

const encoder = new TextEncoder();

/** The tools module's calls, each taking and returning text; fail(message) makes the error to throw. */
export class Tools {
  #m;
  #fail;
  #broken = null;
  #forget;

  constructor(module, fail, forget) {
    this.#m = module;
    this.#fail = fail;
    this.#forget = forget;
  }

  jsonSchema(eventName, strict) {
    return this.#result('jsonSchema', [eventName], strict);
  }

  toCloudEvent(eventText, typePrefix) {
    return this.#result('toCloudEvent', [eventText, typePrefix]);
  }

  compat(oldText, newText) {
    return this.#result('compatJson', [oldText, newText]);
  }

  // Copies each string into the heap, calls `name` with (pointer, length, ..., extra), frees them.
  #result(name, texts, ...extra) {
    const m = this.#m;
    const held = [];
    const result = this.#call(() => {
      try {
        for (const text of texts) {
          // At most 3 bytes per UTF-16 code unit; +1 so that an empty string gets a pointer too.
          const capacity = text.length * 3 + 1;
          const pointer = m._malloc(capacity);
          if (!pointer) throw this.#fail(`msgevents: ${name}: out of memory for ${capacity} bytes of input`);
          held.push(pointer);
          const { written } = encoder.encodeInto(text, m.HEAPU8.subarray(pointer, pointer + capacity));
          held.push(written);
        }
        return m[name](...held, ...extra);
      } finally {
        try {
          for (let i = 0; i < held.length; i += 2) m._free(held[i]);
        } catch { /* the module trapped: #call reports that, and its memory goes with it */ }
      }
    });
    if (typeof result === 'string' && result.length > 0) return result;
    throw this.#fail(`msgevents: ${this.#call(() => m.lastError()) || `${name} failed`}`);
  }

  // A trap leaves the module in an unknown state: never use it again; the next call loads afresh.
  #call(fn) {
    if (this.#broken) throw this.#fail(`msgevents: the tools module failed earlier (${this.#broken})`);
    try {
      return fn();
    } catch (error) {
      if (error instanceof Error && error.name === 'MsgeventsError') throw error;
      this.#broken = error instanceof Error ? error.message : String(error);
      this.#forget();
      throw this.#fail(`msgevents: the tools module failed: ${this.#broken}`, { cause: error });
    }
  }
}

// Events for the tests, taken from the catalog the package carries (its examples are valid by
// SC-002), so no test restates the catalog.
export function examples(validator) {
  return validator.catalog.events.flatMap((e) => e.examples.map((x) => structuredClone(x)));
}

/** The first example of an event type, as a mutable object. */
export function example(validator, eventName) {
  const event = validator.catalog.events.find((e) => e.name === eventName);
  if (!event) throw new Error(`no event type ${eventName}`);
  return structuredClone(event.examples[0]);
}

export const ndjson = (events) => `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;

/** 1-based line and column (in code points) of the first occurrence of `needle` in `text`. */
export function positionOf(text, needle, from = 0) {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line, column: [...before.slice(lineStart)].length + 1 };
}

/**
 * About `bytes` bytes of NDJSON: distinct, valid CustomerCreated events (one aggregate each), made
 * from the catalog's example by changing only the ids. Deterministic.
 */
export function customerCorpus(validator, bytes) {
  const base = example(validator, 'CustomerCreated');
  const lines = [];
  let size = 0;
  for (let i = 0; size < bytes; ++i) {
    const n = i.toString(16).padStart(12, '0');
    const id = `cus_${i.toString(36).padStart(8, '0')}`;
    const event = {
      ...base,
      event_id: `${base.event_id.slice(0, 24)}${n}`,
      aggregate_id: id,
      idempotency_key: `${id}:1`,
      payload: { ...base.payload, customer_id: id },
    };
    const line = JSON.stringify(event);
    lines.push(line);
    size += line.length + 1;
  }
  return { text: `${lines.join('\n')}\n`, events: lines.length };
}

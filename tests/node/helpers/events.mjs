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

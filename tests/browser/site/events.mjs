// Event streams for the site's tests, built from the catalog's own examples (valid by SC-002), so
// no test restates the catalog. Each copy gets unique ids, so stream checks (duplicates, version
// conflicts, lifecycle) see distinct aggregates and the clean events stay clean.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

// The creating events (version 1): every copy starts a new aggregate, so a long stream of them is
// valid whatever its length.
export function creating_examples(catalog) {
  return catalog.events
    .filter((e) => e.creates)
    .map((e) => {
      const agg = catalog.aggregates.find((a) => a.name === e.aggregate);
      const ex = e.examples[0];
      return { event: typeof ex === 'string' ? JSON.parse(ex) : ex, id_field: agg.id_field };
    });
}

const hex = (n, width) => n.toString(16).padStart(width, '0').slice(-width);

// A valid RFC 9562 UUID (version 4, variant 8) unique for n.
export function uuid_for(n) {
  const h = hex(n, 12);
  return `${hex(n >>> 0, 8)}-${hex(Math.floor(n / 2 ** 32), 4)}-4${hex(n % 4096, 3)}-8${hex(n % 4093, 3)}-${h}`;
}

// Copy number n of a creating example, with fresh event_id, aggregate id and idempotency key.
export function unique_copy({ event, id_field }, n) {
  const e = structuredClone(event);
  const id = `${String(event.aggregate_id).split('_')[0]}_t${n.toString(36)}`;
  e.event_id = uuid_for(n);
  e.aggregate_id = id;
  e.payload[id_field] = id;
  if ('idempotency_key' in e) e.idempotency_key = `${id}:${e.version}`;
  return e;
}

/**
 * Writes at least `min_bytes` of NDJSON to `file`: copies of the creating examples, one a line;
 * every `broken_every`-th line gets a malformed event_id. Returns {events, broken, bytes}.
 */
export async function write_large_ndjson(file, catalog, min_bytes, broken_every) {
  const bases = creating_examples(catalog);
  const out = createWriteStream(file);
  let bytes = 0;
  let events = 0;
  let broken = 0;
  let batch = [];
  while (bytes < min_bytes) {
    const e = unique_copy(bases[events % bases.length], events);
    events++;
    if (events % broken_every === 0) {
      e.event_id = `broken-${events}`;
      broken++;
    }
    const line = `${JSON.stringify(e)}\n`;
    bytes += Buffer.byteLength(line);
    batch.push(line);
    if (batch.length >= 2000) {
      if (!out.write(batch.join(''))) await once(out, 'drain');
      batch = [];
    }
  }
  out.end(batch.join(''));
  await once(out, 'finish');
  return { events, broken, bytes };
}

// Event `name` (the first example of that type) for the aggregate of `created` (a unique_copy):
// its aggregate id, the given version (and its idempotency key), and a fresh event_id from n.
export function follow_up(catalog, name, created, version, n) {
  const type = catalog.events.find((e) => e.name === name);
  if (!type) throw new Error(`no event type ${name} in the catalog`);
  const agg = catalog.aggregates.find((a) => a.name === type.aggregate);
  const ex = type.examples[0];
  const e = structuredClone(typeof ex === 'string' ? JSON.parse(ex) : ex);
  e.event_id = uuid_for(n);
  e.aggregate_id = created.aggregate_id;
  e.payload[agg.id_field] = created.aggregate_id;
  e.version = version;
  if ('idempotency_key' in e) e.idempotency_key = `${created.aggregate_id}:${version}`;
  return e;
}

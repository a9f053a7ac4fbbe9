// makeEvent() and validate() on event objects, as a frontend uses them: every event type of the
// catalog made from its example's payload validates clean, with a fresh UUIDv7 whose time is
// occurred_at; objects and arrays of them validate exactly as their JSON text does.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { importPackage } from './helpers/package.mjs';
import { example } from './helpers/events.mjs';

let pkg;
let v;

before(async () => {
  pkg = await importPackage();
  v = await pkg.createValidator();
});

const UUID_V7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const actor = { type: 'user', id: 'usr_01JC3Y7R1T3V5X7Z9B1D3F5H7K' };

test('makeEvent makes every event type of the catalog, and each validates clean', () => {
  assert.equal(v.catalog.events.length, 21);
  for (const type of v.catalog.events) {
    const { payload } = example(v, type.name);
    const aggregate = v.catalog.aggregates.find((a) => a.name === type.aggregate);
    const version = type.creates ? 1 : 4;
    const before = Date.now();
    const event = pkg.makeEvent(type.name, { payload, actor, version, idempotencyKey: `${payload[aggregate.id_field]}:${version}` });
    const after = Date.now();

    assert.deepEqual(Object.keys(event), v.catalog.envelope.map((f) => f.name), `${type.name}: the envelope in the catalog's order`);
    assert.equal(event.event_name, type.name);
    assert.equal(event.aggregate_type, type.aggregate);
    assert.equal(event.aggregate_id, payload[aggregate.id_field]);
    assert.equal(event.schema_version, type.schema_version);
    assert.equal(event.version, version);
    assert.deepEqual(event.actor, actor);
    assert.deepEqual(event.payload, payload);
    assert.notEqual(event.payload, payload, 'the payload is copied');

    // A UUIDv7 whose 48-bit time is occurred_at, read from the clock while makeEvent ran.
    const id = UUID_V7.exec(event.event_id);
    assert.ok(id, `${type.name}: ${event.event_id} is not a UUIDv7`);
    const ms = Number.parseInt(id[1] + id[2], 16);
    assert.equal(new Date(ms).toISOString(), event.occurred_at);
    assert.ok(ms >= before && ms <= after, `${event.occurred_at} is not between the calls`);

    const report = v.validate(event, { strict: true, now: after });
    assert.deepEqual(report.findings, [], `${type.name}: ${JSON.stringify(report.findings)}`);
    assert.equal(report.summary.events, 1);
  }
});

test('makeEvent draws a fresh id each time and leaves idempotency_key out unless given', () => {
  const { payload } = example(v, 'CustomerDisabled');
  const ids = new Set();
  for (let i = 0; i < 50; ++i) ids.add(pkg.makeEvent('CustomerDisabled', { payload, actor, version: 2 }).event_id);
  assert.equal(ids.size, 50);
  const event = pkg.makeEvent('CustomerDisabled', { payload, actor, version: 2, idempotencyKey: null });
  assert.equal('idempotency_key' in event, false);
});

test('makeEvent refuses what cannot make an event, saying what was expected', () => {
  const { payload } = example(v, 'CustomerDisabled');
  const make = (name, input) => () => pkg.makeEvent(name, input);
  assert.throws(make('CustomerDeleted', { payload, actor, version: 2 }), { name: 'TypeError', message: /makeEvent: expected an event type of the catalog.*got "CustomerDeleted"/ });
  assert.throws(make('toString', { payload, actor, version: 2 }), TypeError);
  assert.throws(make('CustomerDisabled', null), /expected \{ payload, actor, version, idempotencyKey\? \}/);
  assert.throws(make('CustomerDisabled', { payload, actor, version: 2, now: 1 }), /unknown option "now"/);
  assert.throws(make('CustomerDisabled', { payload: { ...payload, customer_id: 7 }, actor, version: 2 }),
    { name: 'TypeError', message: "makeEvent: payload.customer_id: expected the Customer's id (a string), got number 7" });
  assert.throws(make('CustomerDisabled', { payload, actor: { type: 'robot', id: 'r' }, version: 2 }), /actor: expected \{ type: "user" or "system"/);
  assert.throws(make('CustomerDisabled', { payload, actor, version: 0 }), { name: 'RangeError' });
  assert.throws(make('CustomerDisabled', { payload, actor, version: 2.5 }), { name: 'RangeError' });
  assert.throws(make('CustomerDisabled', { payload, actor, version: '2' }), { name: 'TypeError' });
  assert.throws(make('CustomerDisabled', { payload, actor, version: 2, idempotencyKey: 5 }), /idempotencyKey: expected a string/);
});

test('a made event with a wrong payload gets the validator\'s findings, not a throw', () => {
  const { payload } = example(v, 'CustomerDisabled');
  const event = pkg.makeEvent('CustomerDisabled', { payload: { ...payload, reason: 'bored' }, actor, version: 2 });
  const report = v.validate(event);
  assert.deepEqual(report.findings.map((f) => [f.code, f.pointer]), [['payload.enum', '/payload/reason']]);
});

test('validate takes an event object or an array of them, as their JSON text', () => {
  const customer = example(v, 'CustomerCreated');
  const disabled = pkg.makeEvent('CustomerDisabled', { payload: example(v, 'CustomerDisabled').payload, actor, version: 2 });
  disabled.aggregate_id = customer.aggregate_id;
  disabled.payload.customer_id = customer.payload.customer_id;
  delete customer.payload.name;

  assert.deepEqual(v.validate(customer), v.validate(JSON.stringify(customer)));
  const one = v.validate(customer);
  assert.deepEqual(one.findings.map((f) => [f.code, f.pointer, f.line]), [['payload.required', '/payload/name', 1]]);

  const both = v.validate([customer, disabled]);
  assert.deepEqual(both, v.validate(JSON.stringify([customer, disabled])));
  assert.equal(both.summary.events, 2);
  assert.equal(both.findings[0].event_index, 0);
  // The stream checks see both events of the aggregate.
  assert.equal(both.aggregates.length, 1);
  assert.equal(both.aggregates[0].events, 2);

  assert.equal(v.validate([]).summary.events, 0);
  const cyclic = { event_name: 'CustomerCreated' };
  cyclic.self = cyclic;
  assert.throws(() => v.validate(cyclic), { name: 'TypeError', message: /validate: the event object cannot be written as JSON/ });
  // Bytes and text are still read as they are.
  assert.deepEqual(v.validate(new TextEncoder().encode(JSON.stringify(customer))), one);
});
